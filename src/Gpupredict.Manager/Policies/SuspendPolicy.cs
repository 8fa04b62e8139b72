namespace Gpupredict.Manager.Policies;

/// <summary>Suspending idle applications (checkpoint to host memory) to reclaim all of their VRAM.</summary>
/// <param name="Enabled">Whether the manager suspends at all.</param>
/// <param name="IdleAfter">An application idle this long, and forecast to stay idle, may be suspended.</param>
/// <param name="RestoreLead">A suspended application is restored this long before its forecast next activity.</param>
public sealed record SuspendPolicy(bool Enabled, TimeSpan IdleAfter, TimeSpan RestoreLead)
{
    /// <summary>Enabled, idle after 30 s, restored 500 ms ahead.</summary>
    public static SuspendPolicy Default { get; } = new(true, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500));
}

namespace Gpupredict.Manager.Policies;

/// <summary>Suspending idle applications (checkpoint to host memory) to reclaim all of their VRAM.</summary>
/// <param name="Enabled">Whether the manager suspends at all.</param>
/// <param name="IdleAfter">An application idle this long, and forecast to stay idle, may be suspended.</param>
/// <param name="RestoreLead">A suspended application is restored this long before its forecast next activity.</param>
public sealed record SuspendPolicy(bool Enabled, TimeSpan IdleAfter, TimeSpan RestoreLead)
{
    /// <summary>
    /// Off (checkpointing someone's GPU state is the administrator's call); when enabled, idle after
    /// 5 min, restored 500 ms ahead.
    /// </summary>
    public static SuspendPolicy Default { get; } = new(false, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500));
}

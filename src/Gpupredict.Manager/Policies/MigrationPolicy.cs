namespace Gpupredict.Manager.Policies;

/// <summary>Moving applications between GPUs without stopping them.</summary>
/// <param name="Enabled">Whether the manager migrates at all.</param>
/// <param name="MaxPause">The longest an application may be paused by one move.</param>
/// <param name="MinGain">A move must free at least this fraction of a GPU, in [0, 1].</param>
public sealed record MigrationPolicy(bool Enabled, TimeSpan MaxPause, double MinGain)
{
    /// <summary>Enabled, pauses of at most 2 s, moves that free at least 10 % of a GPU.</summary>
    public static MigrationPolicy Default { get; } = new(true, TimeSpan.FromSeconds(2), 0.10);
}

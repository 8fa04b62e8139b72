using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Planning;

/// <summary>
/// A slow-path action of a plan: an MPS partition, a suspend or restore, or a migration. Carries its
/// cost so that whoever executes or reports it can weigh it: bytes to move and the expected pause of
/// the application.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="App">The application.</param>
/// <param name="Gpu">The GPU the application is on now (for a restore: the one it was suspended from).</param>
/// <param name="TargetGpu">Where it should be afterwards; equal to <paramref name="Gpu"/> except for a migration or a restore elsewhere.</param>
/// <param name="SmPercent">For <see cref="SlowActionKind.SetMpsPartition"/>: the active-thread percentage, 1..100; otherwise 0.</param>
/// <param name="Bytes">Device bytes checkpointed, restored or moved (0 for an MPS partition).</param>
/// <param name="ExpectedPauseNs">How long the application is expected to stop, ns (0 when it does not stop).</param>
/// <param name="Reason">Why, in words, for logs and reports.</param>
public sealed record SlowAction(SlowActionKind Kind, AppId App, int Gpu, int TargetGpu, int SmPercent, ulong Bytes, long ExpectedPauseNs, string Reason)
{
    /// <summary>A migration or a restore: the application's state moves onto a GPU, which needs room there, and the application is stopped while it does.</summary>
    public bool Moves => Kind is SlowActionKind.Migrate or SlowActionKind.Restore;

    /// <summary>Checks the invariants; returns null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            return $"unknown action kind {(int)Kind}";
        }

        if (Gpu < 0 || TargetGpu < 0)
        {
            return $"GPU index {Math.Min(Gpu, TargetGpu)} is negative";
        }

        if (Kind == SlowActionKind.SetMpsPartition && SmPercent is < 1 or > 100)
        {
            return $"MPS active-thread percentage {SmPercent} is outside 1..100";
        }

        if (Kind == SlowActionKind.Migrate && Gpu == TargetGpu)
        {
            return $"migration of {App} from GPU {Gpu} to itself";
        }

        return ExpectedPauseNs < 0 ? $"expected pause {ExpectedPauseNs} ns is negative" : null;
    }
}

using Gpupredict.Core.Events;

namespace Gpupredict.Interop.Rings;

/// <summary>
/// What a ring reader accepts as an event: checks on a private copy, so the application cannot
/// change the event between the check and its use. Allocation-free.
/// </summary>
internal static class GpuEventChecks
{
    /// <summary>Every flag bit <c>abi.h</c> defines.</summary>
    private const GpuEventFlags KnownFlags = GpuEventFlags.Async | GpuEventFlags.GpuTime | GpuEventFlags.Estimated
        | GpuEventFlags.Failed | GpuEventFlags.Premapped | GpuEventFlags.Denied | GpuEventFlags.Cooperative;

    /// <summary>
    /// True when <paramref name="e"/> is well formed for a ring of process <paramref name="pid"/>:
    /// a kind <c>abi.h</c> defines other than NONE, only defined flag bits, <c>end_ns &gt;= ts_ns</c>,
    /// <c>device &gt;= -1</c>, and the ring's own pid (a forked child writing into its parent's
    /// inherited ring, or a forged event, is not the parent's).
    /// </summary>
    public static bool IsWellFormed(in GpuEvent e, int pid) =>
        e.Kind != GpuEventKind.None
        && Enum.IsDefined(e.Kind)
        && (e.Flags & ~KnownFlags) == 0
        && e.EndNs >= e.TimestampNs
        && e.Device >= -1
        && e.Pid == (uint)pid;
}

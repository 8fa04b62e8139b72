namespace Gpupredict.Core.Apps;

/// <summary>
/// Identifies one application (process) in a way that survives pid reuse: the pid together with
/// the process start time. Two processes that ever share a pid differ in start time.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartTime">
/// The process start time in clock ticks since boot, as in field 22 of <c>/proc/[pid]/stat</c>
/// (the value the interposer writes into the ring header). For recorded traces, which carry no
/// such tick count, importers use the trace's first timestamp in nanoseconds so that a trace's
/// processes stay distinct from one another.
/// </param>
public readonly record struct AppId(int Pid, ulong StartTime)
{
    /// <summary><c>&lt;pid&gt;.&lt;starttime&gt;</c>: the identity in logs and messages.</summary>
    public override string ToString() => $"{Pid}.{StartTime}";
}

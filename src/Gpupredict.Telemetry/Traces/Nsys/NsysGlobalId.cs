namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>
/// Decodes Nsight Systems' serialized global ids (<c>globalPid</c>, <c>globalTid</c>): bits 24..47 hold
/// the OS pid and bits 0..23 the OS tid; the upper bits identify the host/VM.
/// </summary>
/// <remarks>
/// Checked against real exports: in both fixture files, <c>PROCESSES.pid = (globalPid &gt;&gt; 24) &amp; 0xFFFFFF</c>
/// holds for every row (1770 and 1667 rows), and the runtime rows' <c>globalTid &amp; 0xFFFFFF</c> equals
/// the main thread id (= pid).
/// </remarks>
internal static class NsysGlobalId
{
    /// <summary>The OS process id in a <c>globalPid</c> or <c>globalTid</c>.</summary>
    public static int Pid(long globalId) => (int)((globalId >> 24) & 0xFFFFFF);

    /// <summary>The OS thread id in a <c>globalTid</c>.</summary>
    public static uint Tid(long globalId) => (uint)(globalId & 0xFFFFFF);
}

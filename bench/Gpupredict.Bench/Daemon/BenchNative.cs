using System.Runtime.InteropServices;
using Gpupredict.Interop.Native;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// The libc calls only the daemon benchmarks make: pinning a thread, its CPU time, signals. The
/// socket, descriptor-passing and mapping calls an application makes are Interop's own
/// (<c>LibcSockets</c>, visible to this project).
/// </summary>
internal static unsafe partial class BenchNative
{
    private const int ClockThreadCpu = 3;

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Pins the calling thread to <paramref name="cpu"/> (pid 0 = this thread); false when refused.</summary>
    public static bool PinThisThread(int cpu)
    {
        ulong mask = 1UL << cpu;
        return SchedSetAffinity(0, sizeof(ulong), &mask) == 0;
    }

    /// <summary>CPU time of the calling thread, ns.</summary>
    public static long ThreadCpuNs()
    {
        LibcSockets.TimeSpec t;
        _ = LibcSockets.ClockGetTime(ClockThreadCpu, &t);
        return (t.Seconds * 1_000_000_000) + t.Nanoseconds;
    }
}

using System.Runtime.InteropServices;

namespace Gpupredict.Bench.Daemon;

/// <summary>The few libc calls the daemon benchmarks make as an application would (the daemon's own are internal to Interop).</summary>
internal static unsafe partial class BenchNative
{
    public const int AfUnix = 1;
    public const int SockSeqPacket = 5;
    public const int SockCloExec = 0x80000;
    public const int MsgNoSignal = 0x4000;
    public const int MsgCmsgCloExec = 0x40000000;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const int ClockThreadCpu = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    public static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    public static partial int ClockGetTime(int clock, TimeSpec* time);

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
        TimeSpec t;
        _ = ClockGetTime(ClockThreadCpu, &t);
        return (t.Seconds * 1_000_000_000) + t.Nanoseconds;
    }

    /// <summary>A sockaddr_un for <paramref name="path"/> into <paramref name="address"/> (110 bytes); its length.</summary>
    public static int SockaddrUn(string path, Span<byte> address)
    {
        address.Clear();
        address[0] = AfUnix;
        int n = System.Text.Encoding.UTF8.GetBytes(path, address[2..^1]);
        return 2 + n + 1;
    }
}

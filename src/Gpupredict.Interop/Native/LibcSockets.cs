using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// The libc entry points behind registration: the SOCK_SEQPACKET Unix socket, peer credentials,
/// descriptor passing (SCM_RIGHTS), memfds and their seals, poll, and the absolute monotonic sleep
/// of the tick thread. Same conventions as <see cref="Libc"/>: errno through
/// <see cref="Marshal.GetLastPInvokeError"/>, descriptors as plain ints wrapped by the caller.
/// </summary>
/// <remarks>
/// Why P/Invoke rather than <see cref="System.Net.Sockets.Socket"/>: .NET has no API for
/// SCM_RIGHTS (sending descriptors) and none for memfd seals, and a poll(2) loop over every
/// connection keeps one thread per daemon instead of an async read per application.
/// </remarks>
internal static unsafe partial class LibcSockets
{
    private const string Library = "libc";

    internal const int AfUnix = 1;
    internal const int SockSeqPacket = 5;
    internal const int SockNonBlock = 0x800;
    internal const int SockCloExec = 0x80000;
    internal const int SolSocket = 1;
    internal const int SoPeerCred = 17;
    internal const int ScmRights = 1;
    internal const int MsgDontWait = 0x40;
    internal const int MsgNoSignal = 0x4000;
    internal const int MsgCmsgCloExec = 0x40000000;
    internal const int MsgTrunc = 0x20;
    internal const short PollIn = 0x001;
    internal const short PollErr = 0x008;
    internal const short PollHup = 0x010;
    internal const short PollNval = 0x020;
    internal const uint MfdCloExec = 0x1;
    internal const uint MfdAllowSealing = 0x2;
    internal const int FAddSeals = 1033;
    internal const int FGetSeals = 1034;
    internal const int FSealSeal = 0x1;
    internal const int FSealShrink = 0x2;
    internal const int FSealGrow = 0x4;
    internal const int FSealWrite = 0x8;
    internal const int FSealFutureWrite = 0x10;
    internal const int EAgain = 11;
    internal const int EIntr = 4;
    internal const int EInval = 22;
    internal const int EPerm = 1;
    internal const int ClockMonotonic = 1;
    internal const int TimerAbstime = 1;
    internal const int OCloExec = 0x80000;
    internal const int ORdOnly = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct UCred
    {
        public int Pid;
        public uint Uid;
        public uint Gid;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
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
    internal struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>sizeof(struct sockaddr_un): a family and 108 path bytes.</summary>
    internal const int SockaddrUnSize = 110;

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* address, uint length);

    [LibraryImport(Library, EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, byte* address, uint length);

    [LibraryImport(Library, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport(Library, EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int fd, void* address, void* length, int flags);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Library, EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "clock_nanosleep")]
    internal static partial int ClockNanosleep(int clock, int flags, TimeSpec* request, TimeSpec* remain);

    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGetTime(int clock, TimeSpec* time);

    /// <summary>Fills a sockaddr_un for <paramref name="path"/> in <paramref name="buffer"/> (<see cref="SockaddrUnSize"/> bytes); returns the length to pass, or -1 when the path is too long.</summary>
    internal static int FillSockaddrUn(string path, Span<byte> buffer)
    {
        buffer.Clear();
        buffer[0] = AfUnix; // sa_family_t, little-endian u16
        int n = System.Text.Encoding.UTF8.GetBytes(path, buffer[2..^1]);
        return n == 0 || n >= SockaddrUnSize - 2 ? -1 : 2 + n + 1;
    }

    /// <summary>CLOCK_MONOTONIC now, ns.</summary>
    internal static long MonotonicNs()
    {
        TimeSpec t;
        ClockGetTime(ClockMonotonic, &t);
        return (t.Seconds * 1_000_000_000L) + t.Nanoseconds;
    }
}

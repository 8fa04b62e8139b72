using System.Runtime.InteropServices;
using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Native;
using static Gpupredict.Interop.Native.LibcSockets;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// An application's side of registration and of the ring, written from <c>abi.h</c> (as the test
/// client and the tests' ring writer are): connects, says hello, receives the welcome with the ring
/// and control-block memfds, maps the ring read-write and produces with the bounded multi-producer
/// protocol. One per process (the daemon refuses a second registration of the same process).
/// </summary>
internal sealed unsafe class RingClient : IDisposable
{
    private const int MaxSpins = 64;
    private readonly byte* _ring;
    private readonly nuint _ringBytes;
    private readonly ulong _mask;
    private int _fd;

    private RingClient(int fd, byte* ring, nuint ringBytes, uint capacity)
    {
        _fd = fd;
        _ring = ring;
        _ringBytes = ringBytes;
        _mask = capacity - 1UL;
        Capacity = capacity;
    }

    public uint Capacity { get; }

    public ulong Dropped => Volatile.Read(ref Header->Dropped);

    public ulong Written => Volatile.Read(ref Header->Written);

    private RingHeader* Header => (RingHeader*)_ring;

    /// <summary>Registers with the daemon listening on <paramref name="socketPath"/>.</summary>
    /// <exception cref="IOException">No welcome, a refusal, or the ring cannot be mapped.</exception>
    public static RingClient Register(string socketPath)
    {
        int fd = Socket(AfUnix, SockSeqPacket | SockCloExec, 0);
        Span<byte> address = stackalloc byte[SockaddrUnSize];
        int length = FillSockaddrUn(socketPath, address);
        fixed (byte* a = address)
        {
            if (fd < 0 || length < 0 || Connect(fd, a, (uint)length) != 0)
            {
                throw new IOException($"connect {socketPath}: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        var hello = new Hello { Magic = AbiConstants.HelloMagic, AbiVersion = AbiConstants.AbiVersion, Size = AbiConstants.HelloSize, Pid = (uint)Environment.ProcessId };
        _ = Send(fd, &hello, (nuint)sizeof(Hello), MsgNoSignal);
        Welcome welcome = default;
        byte* control = stackalloc byte[64];
        var iov = new IoVec { Base = &welcome, Length = (nuint)sizeof(Welcome) };
        var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
        if (RecvMsg(fd, &message, MsgCmsgCloExec) != sizeof(Welcome) || welcome.Status != WelcomeStatus.Ok || message.ControlLength < 24)
        {
            _ = Close(fd);
            throw new IOException($"registration refused: {welcome.Status}");
        }

        int ringFd = ((int*)(control + 16))[0];
        int controlFd = ((int*)(control + 16))[1];
        nint ring = Mmap(0, (nuint)welcome.RingBytes, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, ringFd, 0);
        _ = Close(ringFd);
        _ = Close(controlFd);
        if (ring == Libc.MapFailed)
        {
            _ = Close(fd);
            throw new IOException($"mmap ring: errno {Marshal.GetLastPInvokeError()}");
        }

        return new RingClient(fd, (byte*)ring, (nuint)welcome.RingBytes, welcome.RingCapacity);
    }

    /// <summary>Publishes <paramref name="e"/>, or counts a drop and returns false when the ring is full (never blocks).</summary>
    public bool TryWrite(in GpuEvent e)
    {
        RingHeader* h = Header;
        ulong index = Volatile.Read(ref h->Head);
        for (int spin = 0; spin < MaxSpins; spin++)
        {
            RingSlot* slot = (RingSlot*)(_ring + AbiConstants.RingHeaderSize) + (index & _mask);
            long diff = (long)(Volatile.Read(ref slot->Seq) - index);
            if (diff == 0)
            {
                ulong seen = Interlocked.CompareExchange(ref h->Head, index + 1, index);
                if (seen == index)
                {
                    slot->Event = e;
                    Volatile.Write(ref slot->Seq, index + 1);
                    Interlocked.Increment(ref h->Written);
                    return true;
                }

                index = seen;
            }
            else if (diff < 0)
            {
                Interlocked.Increment(ref h->Dropped);
                return false;
            }
            else
            {
                index = Volatile.Read(ref h->Head);
            }
        }

        Interlocked.Increment(ref h->Dropped);
        return false;
    }

    /// <summary>Hangs up (the daemon sees the application exit) and unmaps the ring.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
            _ = Libc.Munmap((nint)_ring, _ringBytes);
        }
    }
}

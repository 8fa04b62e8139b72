using System.Runtime.InteropServices;
using Gpupredict.Interop.Abi;
using static Gpupredict.Interop.Native.LibcSockets;

namespace Gpupredict.Interop.Tests.Registration;

/// <summary>A registration client written for tests: connects, sends whatever hello it is given, and reads the welcome with its descriptors.</summary>
internal sealed unsafe class TestClient : IDisposable
{
    private int _fd;

    private TestClient(int fd) => _fd = fd;

    public int Fd => _fd;

    public static TestClient Connect(string path)
    {
        int fd = Socket(AfUnix, SockSeqPacket | SockCloExec, 0);
        Assert.True(fd >= 0, "socket");
        Span<byte> address = stackalloc byte[SockaddrUnSize];
        int length = FillSockaddrUn(path, address);
        fixed (byte* a = address)
        {
            Assert.True(Native.LibcSockets.Connect(fd, a, (uint)length) == 0, $"connect: errno {Marshal.GetLastPInvokeError()}");
        }

        return new TestClient(fd);
    }

    public static Hello GoodHello(int? pid = null) => new()
    {
        Magic = AbiConstants.HelloMagic,
        AbiVersion = AbiConstants.AbiVersion,
        Size = AbiConstants.HelloSize,
        Pid = (uint)(pid ?? Environment.ProcessId),
    };

    public void Send(Hello hello) => Assert.Equal(sizeof(Hello), (int)Native.LibcSockets.Send(_fd, &hello, (nuint)sizeof(Hello), MsgNoSignal));

    public void SendBytes(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* b = bytes)
        {
            Native.LibcSockets.Send(_fd, b, (nuint)bytes.Length, MsgNoSignal | MsgDontWait);
        }
    }

    /// <summary>The welcome and its descriptors (closed by the caller), or null when the server hung up without one.</summary>
    public (Welcome Welcome, int[] Fds)? Receive(int timeoutMs = 5000)
    {
        var p = new PollFd { Fd = _fd, Events = PollIn };
        if (Poll(&p, 1, timeoutMs) <= 0)
        {
            return null;
        }

        Welcome welcome = default;
        byte* control = stackalloc byte[64];
        var iov = new IoVec { Base = &welcome, Length = (nuint)sizeof(Welcome) };
        var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
        nint n = RecvMsg(_fd, &message, MsgCmsgCloExec);
        if (n <= 0)
        {
            return null;
        }

        var fds = new List<int>();
        if (message.ControlLength >= (nuint)sizeof(CmsgHdr))
        {
            var header = (CmsgHdr*)control;
            int count = ((int)header->Length - sizeof(CmsgHdr)) / sizeof(int);
            int* data = (int*)(control + sizeof(CmsgHdr));
            for (int i = 0; i < count; i++)
            {
                fds.Add(data[i]);
            }
        }

        return (welcome, [.. fds]);
    }

    /// <summary>True when the server hung up within the timeout.</summary>
    public bool WaitHangUp(int timeoutMs)
    {
        var p = new PollFd { Fd = _fd, Events = PollIn };
        long deadline = Environment.TickCount64 + timeoutMs;
        byte* b = stackalloc byte[64];
        do
        {
            if (Poll(&p, 1, Math.Min(50, timeoutMs)) > 0 && ((p.Revents & PollHup) != 0 || Recv(_fd, b, 64, MsgDontWait) == 0))
            {
                return true;
            }
        }
        while (Environment.TickCount64 < deadline);

        return false;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Close(_fd);
            _fd = -1;
        }
    }
}

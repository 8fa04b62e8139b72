using System.Runtime.InteropServices;
using System.Text;

namespace Gpupredict.Daemon.Tests;

/// <summary>A hostile client's SOCK_SEQPACKET connections (.NET's Socket has no SEQPACKET), through libc.</summary>
internal static unsafe partial class RawSocket
{
    /// <summary>A connected, non-blocking socket to <paramref name="path"/>, or -1.</summary>
    public static int ConnectSeqPacket(string path)
    {
        int fd = Socket(1, 5 | 0x800 | 0x80000, 0);
        if (fd < 0)
        {
            return -1;
        }

        byte* address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        address[0] = 1;
        int n = Encoding.UTF8.GetBytes(path, new Span<byte>(address + 2, 107));
        if (ConnectTo(fd, address, (uint)(n + 3)) != 0)
        {
            _ = Close(fd);
            return -1;
        }

        return fd;
    }

    public static void Send(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* b = bytes)
        {
            _ = SendTo(fd, b, (nuint)bytes.Length, 0x4000 | 0x40);
        }
    }

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "socket")]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect")]
    private static partial int ConnectTo(int fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "send")]
    private static partial nint SendTo(int fd, byte* buffer, nuint length, int flags);
}

using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// Stands in for systemd's end of sd_notify (PID 1 here is not systemd): a Unix datagram socket the
/// daemon finds through NOTIFY_SOCKET, collecting every message it sends (READY=1, STATUS=..., ...).
/// </summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly BlockingCollection<(long AtMs, string Message)> _messages = [];

    public NotifyListener(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _thread = new Thread(Receive) { IsBackground = true };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>Every message so far, in order.</summary>
    public List<string> All => [.. _messages.Select(m => m.Message)];

    /// <summary>Waits for a message containing <paramref name="line"/>; its arrival time (Environment.TickCount64), or null.</summary>
    public long? WaitFor(string line, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            foreach ((long at, string message) in _messages)
            {
                if (message.Split('\n').Contains(line) || message.Contains(line, StringComparison.Ordinal))
                {
                    return at;
                }
            }

            Thread.Sleep(10);
        }

        return null;
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = _socket.Receive(buffer);
                _messages.Add((Environment.TickCount64, Encoding.UTF8.GetString(buffer, 0, n)));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}

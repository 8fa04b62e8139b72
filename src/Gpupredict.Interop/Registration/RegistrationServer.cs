using System.Runtime.InteropServices;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.Rings;
using Gpupredict.Interop.SharedMemory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Gpupredict.Interop.Native.LibcSockets;

namespace Gpupredict.Interop.Registration;

/// <summary>
/// The daemon's end of registration (<c>abi.h</c>, "Registration"): listens on a SOCK_SEQPACKET
/// Unix socket, identifies each peer by SO_PEERCRED and <c>/proc</c>, answers its hello with a
/// welcome carrying a ring and a control block it created as memfds (SCM_RIGHTS), and reports
/// the connection's hang-up as the application's exit. One thread polls the listening socket and
/// every connection; it never blocks on an application and reads at most one small message per
/// connection per wake-up.
/// </summary>
/// <remarks>
/// <para>Hostile peers: a hello that is malformed, names another pid, or comes from a process already
/// registered is refused with a status and closed; connections that never say hello are closed after
/// <see cref="RegistrationOptions.HelloWait"/>; pending connections are capped overall and per uid, and
/// registrations overall and per uid, so a flood from one user costs the others nothing but a retry.
/// Anything a registered application sends afterwards is read, counted in <see cref="Junk"/>, and
/// dropped; more than <see cref="MaxJunkMessages"/> hangs up on it (it then registers again, afresh).
/// What an application can trigger is logged at most a few lines a minute per uid (registrations: 30).</para>
/// <para>Residual race: SO_PEERCRED's pid is the process that connected. If it exits and its pid is reused
/// before <c>/proc</c> is read, the new process's entry would be read; the connection would already be
/// hung up then (its only holder exited) unless the socket was inherited across fork, so a hung-up
/// connection is refused before registering.</para>
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed unsafe partial class RegistrationServer : IDisposable
{
    /// <summary>Messages a registered application may send after its hello before it is hung up on.</summary>
    public const int MaxJunkMessages = 1000;

    private readonly RegistrationOptions _options;
    private readonly IRegistrationSink _sink;
    private readonly ILogger _logger;
    private readonly RateLimiter _appLog = new(linesPerMinute: 5);
    private readonly RateLimiter _registrationLog = new(linesPerMinute: 30);
    private readonly Dictionary<int, Pending> _pending = [];
    private readonly Dictionary<int, Connected> _connected = [];
    private readonly Dictionary<Core.Apps.AppId, int> _byApp = [];
    private readonly Dictionary<uint, int> _perUser = [];
    private readonly Dictionary<uint, int> _pendingPerUser = [];
    private int _listen = -1;
    private int _wakeRead = -1;
    private int _wakeWrite = -1;
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _accepting = true;
    private long _registered;
    private long _departed;
    private long _refused;
    private long _junk;
    private long _dropped;

    /// <summary>A server for <paramref name="options"/> that reports to <paramref name="sink"/>.</summary>
    public RegistrationServer(RegistrationOptions options, IRegistrationSink sink, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options;
        _sink = sink;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The socket path.</summary>
    public string SocketPath => _options.SocketPath;

    /// <summary>Applications registered since start.</summary>
    public long RegisteredTotal => Interlocked.Read(ref _registered);

    /// <summary>Registered applications whose connection hung up, since start.</summary>
    public long DepartedTotal => Interlocked.Read(ref _departed);

    /// <summary>Hellos refused (any status), since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections closed without a hello (timeout, flood, garbage), since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages registered applications sent after their hello, since start.</summary>
    public long Junk => Interlocked.Read(ref _junk);

    /// <summary>Binds the socket (replacing a stale one), makes it connectable by every user, listens, and starts the thread.</summary>
    /// <exception cref="IOException">The socket cannot be created, bound or listened on.</exception>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("already started");
        }

        string? dir = Path.GetDirectoryName(_options.SocketPath);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        if (File.Exists(_options.SocketPath) || Directory.Exists(_options.SocketPath))
        {
            if ((File.GetAttributes(_options.SocketPath) & FileAttributes.Directory) != 0)
            {
                throw new IOException($"{_options.SocketPath}: a directory is in the socket's place");
            }

            File.Delete(_options.SocketPath); // a previous daemon's socket: nobody listens on it any more
        }

        _listen = Socket(AfUnix, SockSeqPacket | SockNonBlock | SockCloExec, 0);
        ThrowIf(_listen < 0, "socket");
        Span<byte> address = stackalloc byte[SockaddrUnSize];
        int length = FillSockaddrUn(_options.SocketPath, address);
        if (length < 0)
        {
            throw new IOException($"{_options.SocketPath}: a socket path must be 1 to {SockaddrUnSize - 3} bytes");
        }

        fixed (byte* a = address)
        {
            ThrowIf(Bind(_listen, a, (uint)length) != 0, "bind");
        }

        File.SetUnixFileMode(_options.SocketPath, (UnixFileMode)0x1B6); // 0666: any user's application may register
        ThrowIf(Listen(_listen, 128) != 0, "listen");
        int* pipe = stackalloc int[2];
        ThrowIf(Pipe2(pipe, SockNonBlock | SockCloExec) != 0, "pipe2");
        _wakeRead = pipe[0];
        _wakeWrite = pipe[1];
        _thread = new Thread(Run) { IsBackground = true, Name = "gpupredictd-registration" };
        _thread.Start();
    }

    /// <summary>Stops accepting new registrations: the socket is closed and removed; registered applications stay connected.</summary>
    public void StopAccepting()
    {
        _accepting = false;
        Wake();
    }

    /// <summary>
    /// Hangs up on every connection and stops the thread: each application sees the daemon gone and
    /// passes its calls through until a daemon listens again. Registered applications are reported
    /// as departed. Waits at most <paramref name="timeout"/> for the thread.
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        _accepting = false;
        _stopping = true;
        Wake();
        _thread?.Join(timeout);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(2));
        CloseFd(ref _wakeRead);
        CloseFd(ref _wakeWrite);
    }

    private static void ThrowIf(bool failed, string call)
    {
        if (failed)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0)
        {
            Close(fd);
            fd = -1;
        }
    }

    private void Wake()
    {
        if (_wakeWrite >= 0)
        {
            byte b = 1;
            Write(_wakeWrite, &b, 1);
        }
    }

    private void Run()
    {
        var fds = new PollFd[64];
        var keys = new int[64];
        try
        {
            while (!_stopping)
            {
                if (!_accepting && _listen >= 0)
                {
                    CloseListening();
                }

                int n = 0;
                Add(ref fds, ref keys, ref n, _wakeRead, PollIn);
                if (_listen >= 0)
                {
                    Add(ref fds, ref keys, ref n, _listen, PollIn);
                }

                foreach (int fd in _pending.Keys)
                {
                    Add(ref fds, ref keys, ref n, fd, PollIn);
                }

                foreach (int fd in _connected.Keys)
                {
                    Add(ref fds, ref keys, ref n, fd, PollIn);
                }

                int ready;
                fixed (PollFd* p = fds)
                {
                    ready = Poll(p, (nuint)n, 100);
                }

                long now = MonotonicNs();
                if (ready > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        short revents = fds[i].Revents;
                        if (revents == 0)
                        {
                            continue;
                        }

                        int fd = fds[i].Fd;
                        if (fd == _wakeRead)
                        {
                            DrainWake();
                        }
                        else if (fd == _listen)
                        {
                            AcceptSome(now);
                        }
                        else if (_pending.TryGetValue(fd, out Pending? pending))
                        {
                            OnPending(fd, pending, revents, now);
                        }
                        else if (_connected.TryGetValue(fd, out Connected? connected))
                        {
                            OnConnected(fd, connected, revents, now);
                        }
                    }
                }

                ExpirePending(now);
            }
        }
        catch (Exception e)
        {
            LogThreadFailed(e);
        }
        finally
        {
            CloseListening();
            foreach (int fd in _pending.Keys.ToArray())
            {
                DropPending(fd);
            }

            long now = MonotonicNs();
            foreach (int fd in _connected.Keys.ToArray())
            {
                Depart(fd, now);
            }
        }
    }

    private static void Add(ref PollFd[] fds, ref int[] keys, ref int n, int fd, short events)
    {
        if (n == fds.Length)
        {
            Array.Resize(ref fds, n * 2);
            Array.Resize(ref keys, n * 2);
        }

        fds[n] = new PollFd { Fd = fd, Events = events };
        keys[n] = fd;
        n++;
    }

    private void CloseListening()
    {
        if (_listen >= 0)
        {
            CloseFd(ref _listen);
            try
            {
                File.Delete(_options.SocketPath);
            }
            catch (IOException)
            {
            }
        }
    }

    private void DrainWake()
    {
        byte* buffer = stackalloc byte[64];
        while (Read(_wakeRead, buffer, 64) > 0)
        {
        }
    }

    private void AcceptSome(long now)
    {
        // A bounded batch per wake-up, so a flood cannot starve the rest of the loop.
        for (int i = 0; i < 64; i++)
        {
            int fd = Accept4(_listen, null, null, SockNonBlock | SockCloExec);
            if (fd < 0)
            {
                return;
            }

            UCred cred;
            uint length = (uint)sizeof(UCred);
            if (GetSockOpt(fd, SolSocket, SoPeerCred, &cred, &length) != 0)
            {
                Interlocked.Increment(ref _dropped);
                Close(fd);
                continue;
            }

            _pendingPerUser.TryGetValue(cred.Uid, out int mine);
            if (_pending.Count >= _options.MaxPending || mine >= _options.MaxPendingPerUser)
            {
                Interlocked.Increment(ref _dropped);
                Close(fd);
                if (_appLog.Allow(cred.Uid, now))
                {
                    LogFlood(cred.Uid, cred.Pid, mine);
                }

                continue;
            }

            _pending[fd] = new Pending(cred, now + (long)_options.HelloWait.TotalNanoseconds);
            _pendingPerUser[cred.Uid] = mine + 1;
        }
    }

    private void ExpirePending(long now)
    {
        foreach ((int fd, Pending p) in _pending)
        {
            if (now >= p.DeadlineNs)
            {
                Interlocked.Increment(ref _dropped);
                DropPending(fd);
            }
        }
    }

    private void DropPending(int fd)
    {
        if (_pending.Remove(fd, out Pending? p))
        {
            Decrement(_pendingPerUser, p.Cred.Uid);
        }

        Close(fd);
    }

    private static void Decrement(Dictionary<uint, int> counts, uint uid)
    {
        if (counts.TryGetValue(uid, out int c))
        {
            if (c <= 1)
            {
                counts.Remove(uid);
            }
            else
            {
                counts[uid] = c - 1;
            }
        }
    }

    private void OnPending(int fd, Pending pending, short revents, long now)
    {
        Hello hello = default;
        nint n = Recv(fd, &hello, (nuint)sizeof(Hello), MsgDontWait);
        if (n < 0 && Marshal.GetLastPInvokeError() is EAgain or EIntr && (revents & (PollHup | PollErr)) == 0)
        {
            return; // not yet
        }

        if (_pending.Remove(fd))
        {
            Decrement(_pendingPerUser, pending.Cred.Uid);
        }

        if (n <= 0)
        {
            Interlocked.Increment(ref _dropped);
            Close(fd); // hung up before saying hello
            return;
        }

        WelcomeStatus status = Check(hello, (int)n, pending.Cred);
        PeerIdentity? peer = null;
        if (status == WelcomeStatus.Ok)
        {
            peer = PeerIdentity.TryRead(_options.ProcRoot, pending.Cred.Pid, pending.Cred.Uid, pending.Cred.Gid);
            status = peer is null || HungUp(fd) ? WelcomeStatus.UnknownPeer
                : _byApp.ContainsKey(peer.App) ? WelcomeStatus.AlreadyRegistered
                : _connected.Count >= _options.MaxApplications || Count(_perUser, peer.Uid) >= _options.MaxPerUser ? WelcomeStatus.Full
                : WelcomeStatus.Ok;
        }

        if (status != WelcomeStatus.Ok)
        {
            Refuse(fd, status, pending.Cred, now);
            return;
        }

        Registration? registration = null;
        try
        {
            registration = Create(peer!, now);
        }
        catch (Exception e) when (e is SharedMemoryException or IOException)
        {
            LogCreateFailed(peer!.Pid, e.Message);
            Refuse(fd, WelcomeStatus.Internal, pending.Cred, now);
            return;
        }

        if (!SendWelcome(fd, registration))
        {
            registration.Dispose();
            Close(fd);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _connected[fd] = new Connected(registration);
        _byApp[registration.App] = fd;
        _perUser[peer!.Uid] = Count(_perUser, peer.Uid) + 1;
        Interlocked.Increment(ref _registered);
        if (_registrationLog.Allow(peer.Uid, now))
        {
            LogRegistered(registration.Peer.Identity.ProcessName, peer.Pid, peer.Uid, registration.Control.WriteProtection == MemfdSeals.FutureWrite ? "sealed" : "read-only descriptor");
        }
        _sink.Registered(registration);
    }

    private static int Count(Dictionary<uint, int> counts, uint uid) => counts.TryGetValue(uid, out int c) ? c : 0;

    private static bool HungUp(int fd)
    {
        var p = new PollFd { Fd = fd, Events = PollIn };
        return Poll(&p, 1, 0) > 0 && (p.Revents & (PollHup | PollErr | PollNval)) != 0;
    }

    private static WelcomeStatus Check(in Hello hello, int length, in UCred cred)
    {
        if (length != sizeof(Hello) || hello.Magic != AbiConstants.HelloMagic || hello.AbiVersion != AbiConstants.AbiVersion || hello.Size != AbiConstants.HelloSize)
        {
            return WelcomeStatus.BadHello;
        }

        return hello.Pid != (uint)cred.Pid || cred.Pid <= 0 ? WelcomeStatus.PidMismatch : WelcomeStatus.Ok;
    }

    private Registration Create(PeerIdentity peer, long now)
    {
        EventRingReader ring = EventRingReader.CreateOwned(_options.RingCapacity, peer.Pid, peer.StartTime, (ulong)now);
        try
        {
            ControlBlockWriter control = ControlBlockWriter.CreateOwned(peer.Pid, _options.WriteSeal);
            return new Registration(peer, ring, control, now);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    private void Refuse(int fd, WelcomeStatus status, in UCred cred, long now)
    {
        var welcome = new Welcome { Magic = AbiConstants.WelcomeMagic, AbiVersion = AbiConstants.AbiVersion, Size = AbiConstants.WelcomeSize, Status = status };
        Send(fd, &welcome, (nuint)sizeof(Welcome), MsgDontWait | MsgNoSignal);
        Close(fd);
        Interlocked.Increment(ref _refused);
        if (_appLog.Allow(cred.Uid, now))
        {
            LogRefused(cred.Pid, cred.Uid, status);
        }
    }

    private bool SendWelcome(int fd, Registration r)
    {
        var welcome = new Welcome
        {
            Magic = AbiConstants.WelcomeMagic,
            AbiVersion = AbiConstants.AbiVersion,
            Size = AbiConstants.WelcomeSize,
            Status = WelcomeStatus.Ok,
            RingCapacity = (uint)r.Ring.Capacity,
            RingBytes = (ulong)r.Ring.Memfd.Length,
            ControlBytes = AbiConstants.ControlSize,
            StartTime = r.Peer.StartTime,
        };

        int ringFd = r.Ring.Memfd.Descriptor;
        int controlFd = r.Control.Memfd.Descriptor;
        int readOnly = -1;
        if (r.Control.WriteProtection != MemfdSeals.FutureWrite)
        {
            // No write seal: hand out a read-only open file description of it instead.
            readOnly = Open($"/proc/self/fd/{controlFd}", ORdOnly | OCloExec, 0);
            if (readOnly < 0)
            {
                return false;
            }

            controlFd = readOnly;
        }

        try
        {
            const int fdCount = 2;
            int cmsgSpace = CmsgAlign(sizeof(CmsgHdr)) + CmsgAlign(fdCount * sizeof(int));
            byte* control = stackalloc byte[cmsgSpace];
            new Span<byte>(control, cmsgSpace).Clear();
            var header = (CmsgHdr*)control;
            header->Length = (nuint)(CmsgAlign(sizeof(CmsgHdr)) + (fdCount * sizeof(int)));
            header->Level = SolSocket;
            header->Type = ScmRights;
            int* data = (int*)(control + CmsgAlign(sizeof(CmsgHdr)));
            data[0] = ringFd;
            data[1] = controlFd;
            var iov = new IoVec { Base = &welcome, Length = (nuint)sizeof(Welcome) };
            var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)cmsgSpace };
            return SendMsg(fd, &message, MsgDontWait | MsgNoSignal) == sizeof(Welcome);
        }
        finally
        {
            if (readOnly >= 0)
            {
                Close(readOnly);
            }
        }
    }

    private static int CmsgAlign(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    private void OnConnected(int fd, Connected c, short revents, long now)
    {
        if ((revents & PollIn) != 0)
        {
            byte* buffer = stackalloc byte[64];
            nint n = Recv(fd, buffer, 64, MsgDontWait);
            if (n > 0)
            {
                Interlocked.Increment(ref _junk);
                if (++c.Junk > MaxJunkMessages)
                {
                    if (_appLog.Allow(c.Registration.Peer.Uid, now))
                    {
                        LogJunk(c.Registration.Peer.Pid, c.Junk);
                    }

                    Depart(fd, now);
                }

                return;
            }

            if (n < 0 && Marshal.GetLastPInvokeError() is EAgain or EIntr && (revents & (PollHup | PollErr)) == 0)
            {
                return;
            }
        }

        Depart(fd, now); // EOF or hang-up: the application is gone (or closed the connection)
    }

    private void Depart(int fd, long now)
    {
        if (!_connected.Remove(fd, out Connected? c))
        {
            return;
        }

        Close(fd);
        _byApp.Remove(c.Registration.App);
        Decrement(_perUser, c.Registration.Peer.Uid);
        c.Registration.DepartedNs = now;
        Interlocked.Increment(ref _departed);
        _sink.Departed(c.Registration);
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "registered {Process}[{Pid}] uid {Uid}; control block {Protection}")]
    private partial void LogRegistered(string process, int pid, uint uid, string protection);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "refused registration from pid {Pid} uid {Uid}: {Status}")]
    private partial void LogRefused(int pid, uint uid, WelcomeStatus status);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "connection flood from uid {Uid} (pid {Pid}, {Pending} waiting): connections closed")]
    private partial void LogFlood(uint uid, int pid, int pending);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "pid {Pid} sent {Messages} messages after registering: hung up")]
    private partial void LogJunk(int pid, int messages);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "cannot create shared memory for pid {Pid}: {Reason}")]
    private partial void LogCreateFailed(int pid, string reason);

    [LoggerMessage(EventId = 509, Level = LogLevel.Critical, Message = "registration thread failed")]
    private partial void LogThreadFailed(Exception e);

    private sealed record Pending(UCred Cred, long DeadlineNs);

    private sealed class Connected(Registration registration)
    {
        public Registration Registration { get; } = registration;

        public int Junk { get; set; }
    }
}

using System.Collections.Concurrent;
using CsCheck;
using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Registration;
using static Gpupredict.Interop.Native.LibcSockets;

namespace Gpupredict.Interop.Tests.Registration;

/// <summary>
/// The daemon's registration socket against a client in this process: the welcome and its two
/// memfds, what the application can and cannot do with them, refusals (spoofed pid, duplicate,
/// garbage, flood) that leave the server serving, and hang-up as departure.
/// </summary>
public sealed unsafe class RegistrationServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredict-reg-").FullName;
    private readonly Sink _sink = new();
    private readonly RegistrationServer _server;

    public RegistrationServerTests()
    {
        _server = new RegistrationServer(new RegistrationOptions(Path.Join(_dir, "register.sock"), RingCapacity: 64, MaxPendingPerUser: 4, HelloTimeout: TimeSpan.FromMilliseconds(300)), _sink);
        _server.Start();
    }

    public void Dispose()
    {
        _server.Dispose();
        foreach (Gpupredict.Interop.Registration.Registration r in _sink.All)
        {
            r.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Register_GoodHello_GetsSealedRingAndReadOnlyControlBlock()
    {
        using TestClient client = TestClient.Connect(_server.SocketPath);
        client.Send(TestClient.GoodHello());
        (Welcome welcome, int[] fds) = client.Receive() ?? throw new InvalidOperationException("no welcome");
        try
        {
            Assert.Equal(WelcomeStatus.Ok, welcome.Status);
            Assert.Equal(2, fds.Length);
            Assert.Equal(64u, welcome.RingCapacity);
            Assert.Equal((ulong)(AbiConstants.RingHeaderSize + (64 * AbiConstants.RingSlotSize)), welcome.RingBytes);
            Gpupredict.Interop.Registration.Registration r = _sink.WaitRegistered();
            Assert.Equal(Environment.ProcessId, r.Peer.Pid);
            Assert.Equal(welcome.StartTime, r.Peer.StartTime);

            // The ring: cannot change size (no SIGBUS for the daemon), mapped read-write, and what is produced is drained.
            Assert.NotEqual(0, FTruncate(fds[0], 4096));
            nint ring = Mmap(0, (nuint)welcome.RingBytes, 3, 1, fds[0], 0);
            Assert.NotEqual(-1, ring);
            var header = (RingHeader*)ring;
            Assert.Equal(AbiConstants.RingMagic, header->Magic);
            var slot = (RingSlot*)(ring + AbiConstants.RingHeaderSize);
            slot->Event = new GpuEvent { Kind = GpuEventKind.Alloc, Pid = (uint)Environment.ProcessId, Bytes = 4096, TimestampNs = 5, EndNs = 5, Device = 0 };
            header->Head = 1;
            Volatile.Write(ref slot->Seq, 1UL);
            var events = new GpuEvent[8];
            Assert.Equal(1, r.Ring.Drain(events));
            Assert.Equal(4096UL, events[0].Bytes);

            // The control block: no shared writable mapping, no write, no resize; readable.
            Assert.Equal(-1, Mmap(0, AbiConstants.ControlSize, 3, 1, fds[1], 0));
            Assert.NotEqual(0, FTruncate(fds[1], 0));
            nint control = Mmap(0, AbiConstants.ControlSize, 1, 1, fds[1], 0);
            Assert.NotEqual(-1, control);
            r.Control.Write(new ControlBlock { Flags = ControlFlags.EnforceQuota, VramQuotaBytes = 1 << 20, Device = 0 });
            Assert.Equal(1UL << 20, ((ControlBlock*)control)->VramQuotaBytes);
        }
        finally
        {
            foreach (int fd in fds)
            {
                Close(fd);
            }
        }
    }

    [Fact]
    public void Register_HelloNamingAnotherPid_IsRefusedWithoutDescriptors()
    {
        using TestClient client = TestClient.Connect(_server.SocketPath);
        client.Send(TestClient.GoodHello(pid: 1));
        (Welcome welcome, int[] fds) = client.Receive() ?? throw new InvalidOperationException("no welcome");
        Assert.Equal(WelcomeStatus.PidMismatch, welcome.Status);
        Assert.Empty(fds);
        Assert.Empty(_sink.All);
    }

    [Fact]
    public void Register_SameProcessTwice_SecondIsRefused()
    {
        using TestClient first = TestClient.Connect(_server.SocketPath);
        first.Send(TestClient.GoodHello());
        CloseAll(first.Receive());
        using TestClient second = TestClient.Connect(_server.SocketPath);
        second.Send(TestClient.GoodHello());
        (Welcome welcome, int[] fds) = second.Receive() ?? throw new InvalidOperationException("no welcome");
        Assert.Equal(WelcomeStatus.AlreadyRegistered, welcome.Status);
        Assert.Empty(fds);
    }

    [Fact]
    public void HangUp_RegisteredApplication_IsReportedDepartedAndCanRegisterAgain()
    {
        var client = TestClient.Connect(_server.SocketPath);
        client.Send(TestClient.GoodHello());
        CloseAll(client.Receive());
        Gpupredict.Interop.Registration.Registration r = _sink.WaitRegistered();
        client.Dispose();
        Gpupredict.Interop.Registration.Registration gone = _sink.WaitDeparted();
        Assert.Same(r, gone);
        Assert.True(gone.DepartedNs > 0);

        using TestClient again = TestClient.Connect(_server.SocketPath);
        again.Send(TestClient.GoodHello());
        (Welcome welcome, int[] fds) = again.Receive() ?? throw new InvalidOperationException("no welcome");
        CloseAll((welcome, fds));
        Assert.Equal(WelcomeStatus.Ok, welcome.Status);
    }

    [Fact]
    public void Hello_AnyBytes_AreRefusedOrAcceptedAndTheServerKeepsServing()
    {
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            using TestClient c = TestClient.Connect(_server.SocketPath);
            c.SendBytes(bytes);
            if (c.Receive(2000) is { } answer)
            {
                CloseAll(answer);
                Assert.True(answer.Welcome.Status is WelcomeStatus.BadHello or WelcomeStatus.Ok or WelcomeStatus.PidMismatch or WelcomeStatus.AlreadyRegistered, answer.Welcome.Status.ToString());
            }
        }, iter: 60);

        AssertStillServes();
    }

    [Fact]
    public void Flood_ConnectionsThatNeverSayHello_AreBoundedAndExpire()
    {
        var flood = new List<TestClient>();
        for (int i = 0; i < 100; i++)
        {
            flood.Add(TestClient.Connect(_server.SocketPath));
        }

        // All but the per-user cap of 4 are closed at once; the rest when their hello is overdue.
        Assert.All(flood, c => Assert.True(c.WaitHangUp(3000), "a flooding connection was never closed"));
        Assert.True(_server.Dropped >= 100, $"dropped {_server.Dropped}");
        flood.ForEach(c => c.Dispose());
        AssertStillServes();
    }

    [Fact]
    public void Junk_AfterRegistering_IsCountedAndAFloodOfItHangsUp()
    {
        using TestClient client = TestClient.Connect(_server.SocketPath);
        client.Send(TestClient.GoodHello());
        CloseAll(client.Receive());
        for (int i = 0; i <= RegistrationServer.MaxJunkMessages + 10 && !client.WaitHangUp(0); i++)
        {
            client.SendBytes([1, 2, 3]);
            if (i % 100 == 0)
            {
                Thread.Sleep(5); // let the server read: the socket buffer would fill first
            }
        }

        Assert.True(client.WaitHangUp(5000), "junk never hung up");
        Assert.True(_server.Junk > 0);
        _sink.WaitDeparted();
    }

    private void AssertStillServes()
    {
        using TestClient c = TestClient.Connect(_server.SocketPath);
        c.Send(TestClient.GoodHello());
        (Welcome welcome, int[] fds) = c.Receive() ?? throw new InvalidOperationException("no welcome after the abuse");
        CloseAll((welcome, fds));
        Assert.True(welcome.Status is WelcomeStatus.Ok or WelcomeStatus.AlreadyRegistered, welcome.Status.ToString());
    }

    private static void CloseAll((Welcome Welcome, int[] Fds)? answer)
    {
        foreach (int fd in answer?.Fds ?? [])
        {
            Close(fd);
        }
    }

    private sealed class Sink : IRegistrationSink
    {
        private readonly BlockingCollection<Gpupredict.Interop.Registration.Registration> _registered = [];
        private readonly BlockingCollection<Gpupredict.Interop.Registration.Registration> _departed = [];

        public ConcurrentBag<Gpupredict.Interop.Registration.Registration> All { get; } = [];

        public void Registered(Gpupredict.Interop.Registration.Registration registration)
        {
            All.Add(registration);
            _registered.Add(registration);
        }

        public void Departed(Gpupredict.Interop.Registration.Registration registration) => _departed.Add(registration);

        public Gpupredict.Interop.Registration.Registration WaitRegistered() =>
            _registered.TryTake(out var r, 5000) ? r : throw new TimeoutException("no registration");

        public Gpupredict.Interop.Registration.Registration WaitDeparted() =>
            _departed.TryTake(out var r, 5000) ? r : throw new TimeoutException("no departure");
    }
}

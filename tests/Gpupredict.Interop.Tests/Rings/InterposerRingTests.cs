using System.Collections.Concurrent;
using System.Diagnostics;
using Gpupredict.Core.Events;
using Gpupredict.Interop.Registration;
using Gpupredict.Interop.Rings;

namespace Gpupredict.Interop.Tests.Rings;

/// <summary>
/// The real producer: native/build/intercept_test in its "produce" mode runs under the interposer
/// (LD_PRELOAD) against the libcuda test double, registers with the daemon's registration server
/// and writes a known workload into the ring the server gave it; the C# reader must see exactly
/// that, in order, then the exit event, and the server the connection's hang-up.
/// </summary>
public sealed class InterposerRingTests
{
    private static readonly string Native = Path.Combine(RepoPaths.Root, "native");
    private static readonly string Build = Path.Combine(Native, "build");

    [Fact]
    public void Drain_InterposedProcess_SeesEveryCallInOrderThenTheExitAndTheHangUp()
    {
        RunMake("intercept_test");
        string dir = Directory.CreateTempSubdirectory("gpupredict-ring-").FullName;
        var sink = new Sink();
        using var server = new RegistrationServer(new RegistrationOptions(Path.Join(dir, "register.sock"), RingCapacity: 256), sink);
        server.Start();
        var start = new ProcessStartInfo(Path.Combine(Build, "intercept_test"), "produce")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LD_PRELOAD"] = Path.Combine(Build, "intercept", "libgpupredict-cuda.so");
        start.Environment["LD_LIBRARY_PATH"] = Path.Combine(Build, "testing");
        start.Environment["GPUPREDICT_SOCKET"] = server.SocketPath;
        start.Environment["GPUPREDICT_CUPTI"] = "0"; // estimated intervals: deterministic here
        using Process p = Process.Start(start)!;
        try
        {
            Assert.Equal("registered", p.StandardOutput.ReadLine() ?? "(nothing: " + p.StandardError.ReadToEnd() + ")");
            Assert.Equal("done", p.StandardOutput.ReadLine());
            Gpupredict.Interop.Registration.Registration r = sink.Registered.Take(new CancellationTokenSource(10_000).Token);
            Assert.Equal(p.Id, r.Peer.Pid);
            EventRingReader reader = r.Ring;
            var events = new GpuEvent[256];
            int n = reader.Drain(events);
            AssertWorkload(events.AsSpan(0, n), p.Id);

            p.StandardInput.Close();
            Assert.True(p.WaitForExit(30_000), "producer did not exit");
            Assert.Equal(0, p.ExitCode);
            Assert.Same(r, sink.Departed.Take(new CancellationTokenSource(10_000).Token));
            int after = reader.Drain(events);
            Assert.Equal(1, after);
            Assert.Equal(GpuEventKind.ProcessExit, events[0].Kind);
            Assert.Equal(0UL, reader.Dropped);
            Assert.Equal(0L, reader.Malformed);
            Assert.Equal((ulong)(n + after), reader.Written);
            r.Dispose();
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }

            server.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class Sink : IRegistrationSink
    {
        public BlockingCollection<Gpupredict.Interop.Registration.Registration> Registered { get; } = [];

        public BlockingCollection<Gpupredict.Interop.Registration.Registration> Departed { get; } = [];

        void IRegistrationSink.Registered(Gpupredict.Interop.Registration.Registration registration) => Registered.Add(registration);

        void IRegistrationSink.Departed(Gpupredict.Interop.Registration.Registration registration) => Departed.Add(registration);
    }

    private static void AssertWorkload(ReadOnlySpan<GpuEvent> e, int pid)
    {
        GpuEventKind[] kinds = e.ToArray().Select(x => x.Kind).ToArray();
        GpuEventKind[] expected =
        [
            GpuEventKind.ContextCreate, GpuEventKind.ModuleLoad, GpuEventKind.Alloc, GpuEventKind.Alloc,
            .. Enumerable.Repeat(GpuEventKind.KernelLaunch, 10),
            GpuEventKind.SyncContext, GpuEventKind.KernelExec, GpuEventKind.Free, GpuEventKind.Free,
        ];
        Assert.Equal(expected, kinds);
        Assert.Equal(1UL << 20, e[2].Bytes);
        Assert.Equal(2UL << 20, e[3].Bytes);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal((uint)(i + 1), e[4 + i].GridX);
            Assert.Equal(32U, e[4 + i].BlockX);
        }

        Assert.True((e[15].Flags & GpuEventFlags.Estimated) != 0);
        Assert.Equal(10UL, e[15].CorrelationId);
        Assert.Equal(e[2].Address, e[16].Address);
        Assert.Equal(1UL << 20, e[16].Bytes);
        foreach (GpuEvent x in e)
        {
            Assert.Equal((uint)pid, x.Pid);
        }
    }

    private static void RunMake(string target)
    {
        using Process make = Process.Start(new ProcessStartInfo("make", ["-s", "-C", Native, target])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string err = make.StandardError.ReadToEnd();
        make.WaitForExit();
        Assert.True(make.ExitCode == 0, $"make {target} failed: {err}");
    }
}

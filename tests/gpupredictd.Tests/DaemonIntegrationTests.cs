using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// The daemon as its own process with real applications: gpupredict-loadgen under the real
/// interposer against the libcuda TEST DOUBLE (there is no GPU here), registering over the real
/// socket. Grants must reach the control blocks and be enforced; exits, restarts, reloads and
/// signals must behave as docs/daemon.md says. sd_notify is checked through a NOTIFY_SOCKET this
/// test listens on (PID 1 here is not systemd).
/// </summary>
public sealed class DaemonIntegrationTests : IDisposable
{
    private const string Ceiling64MiB = "version: 1\ndefault: { class: burstable, ceiling: { vram: 64MiB } }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictd-it-").FullName;
    private readonly ITestOutputHelper _output;
    private readonly List<IDisposable> _owned = [];

    public DaemonIntegrationTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        foreach (IDisposable d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [DaemonFact]
    public void Start_WithNotifySocket_SaysReadyAfterListeningAndTickingThenStoppingAndExitsWithinFiveSeconds()
    {
        var notify = Own(new NotifyListener(Path.Join(_dir, "notify.sock")));
        DaemonProcess d = Own(DaemonProcess.Start(_dir, notifySocket: notify.Path, watchdogUsec: 200_000));
        Assert.NotNull(notify.WaitFor("READY=1", 30_000));
        Assert.True(File.Exists(d.Socket), "READY=1 before the socket listens");
        Assert.NotNull(notify.WaitFor("STATUS=", 5_000));
        Assert.NotNull(notify.WaitFor("WATCHDOG=1", 2_000));
        d.WaitReady();
        long ms = d.Terminate();
        _output.WriteLine($"SIGTERM -> exit: {ms} ms");
        Assert.True(ms < 5000, $"exit took {ms} ms");
        Assert.Equal(0, d.ExitCode);
        Assert.NotNull(notify.WaitFor("STOPPING=1", 1000));
        Assert.Equal("stopped", d.Status()!.Value.GetProperty("state").GetString());
        Assert.False(File.Exists(d.Socket), "the socket stays after exit");
    }

    [DaemonFact]
    public void Grant_PolicyCeiling_ReachesTheControlBlockAndTheInterposerRefusesAllocationsBeyondIt()
    {
        // Control: the same application with no daemon allocates everything it asks for.
        using (Application alone = Application.Start(Path.Join(_dir, "nobody.sock"), _dir, allocations: 8, bytes: 32UL << 20, everyMs: 20, durationSeconds: 1))
        {
            Dictionary<string, long> free = alone.Wait();
            Assert.Equal(0, free["out_of_memory"]);
            Assert.True(free["allocs"] >= 8);
        }

        DaemonProcess d = StartWithPolicy(Ceiling64MiB);
        using Application app = Application.Start(d.Socket, _dir, allocations: 8, bytes: 32UL << 20, everyMs: 20, durationSeconds: 3);
        Dictionary<string, long> counters = app.Wait();
        _output.WriteLine(string.Join(", ", counters.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.True(counters["out_of_memory"] > 0, "no allocation was refused under a 64 MiB ceiling");
        Assert.True(counters["allocs"] > 0, "every allocation was refused");
        d.WaitStatus(s => s.GetProperty("quota_denials").GetInt64() > 0 && s.GetProperty("grants_written").GetInt64() > 0, 5000, "the daemon saw the denials");
    }

    [DaemonFact]
    public void Exit_KilledApplication_IsReleasedWithinABound()
    {
        DaemonProcess d = StartWithPolicy(Ceiling64MiB);
        using Application app = Application.Start(d.Socket, _dir, allocations: 2, bytes: 1UL << 20, everyMs: 10, durationSeconds: 30);
        d.WaitStatus(s => s.GetProperty("applications").GetInt32() == 1, 10_000, "the application registered");
        var watch = Stopwatch.StartNew();
        app.Kill();
        long ms = d.WaitStatus(s => s.GetProperty("applications").GetInt32() == 0 && s.GetProperty("released").GetInt64() == 1, 5000, "the killed application released");
        _output.WriteLine($"kill -9 -> released (as the 100 ms status file shows it): {watch.ElapsedMilliseconds} ms");
        Assert.True(ms < 2000, $"release took {ms} ms");
    }

    [DaemonFact]
    public void Restart_RunningApplication_RejoinsTheNewDaemonWithinOneSecond()
    {
        DaemonProcess first = StartWithPolicy(Ceiling64MiB);
        using Application app = Application.Start(first.Socket, _dir, allocations: 2, bytes: 1UL << 20, everyMs: 10, durationSeconds: 60);
        first.WaitStatus(s => s.GetProperty("applications").GetInt32() == 1, 10_000, "the application registered");
        first.Terminate();

        DaemonProcess second = Own(DaemonProcess.Start(_dir, $"policies: {Path.Join(_dir, "policies.yaml")}\n"));
        long deadline = Environment.TickCount64 + 30_000;
        while (!File.Exists(second.Socket) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(2);
        }

        var watch = Stopwatch.StartNew();
        second.WaitStatus(s => s.GetProperty("pid").GetInt32() == second.Pid && s.GetProperty("registered_total").GetInt64() >= 1, 5000, "the application re-joined");
        _output.WriteLine($"new daemon listening -> application registered (seen through the 100 ms status file): {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.ElapsedMilliseconds < 1100, $"re-join took {watch.ElapsedMilliseconds} ms");
    }

    [DaemonFact]
    public void Sighup_ThreeReloadsThenABrokenPolicy_KeepsServingOnTheLastGoodSet()
    {
        string policies = Path.Join(_dir, "policies.yaml");
        DaemonProcess d = StartWithPolicy(Ceiling64MiB);
        for (int i = 1; i <= 3; i++)
        {
            File.WriteAllText(policies, $"version: 1\ndefault: {{ class: burstable, ceiling: {{ vram: {32 * i}MiB }} }}\n");
            d.Signal(Signals.Hup);
            WaitLog(d, i, "reloaded policies from");
            long ticks = d.Status()!.Value.GetProperty("ticks").GetInt64();
            d.WaitStatus(s => s.GetProperty("ticks").GetInt64() > ticks, 2000, $"ticking after reload {i}");
        }

        File.WriteAllText(policies, "version: 1\ndefault: { class: burstable, ceiling: { vram: eight } }\n");
        d.Signal(Signals.Hup);
        WaitLog(d, 1, "policy reload rejected");
        Assert.Contains($"{policies}:2:", d.Log, StringComparison.Ordinal);
        Assert.False(d.HasExited);

        // The last good set (a 96 MiB ceiling) still refuses what goes beyond it.
        using Application app = Application.Start(d.Socket, _dir, allocations: 8, bytes: 32UL << 20, everyMs: 20, durationSeconds: 3);
        Assert.True(app.Wait()["out_of_memory"] > 0);
    }

    [DaemonFact]
    public void Start_ModelThatIsNotAModel_SaysSoAndForecastsWithTheConfiguredForecaster()
    {
        string model = Path.Join(_dir, "model.bin");
        File.WriteAllText(model, "not a model");
        DaemonProcess d = Own(DaemonProcess.Start(_dir, $"model: {model}\n"));
        d.WaitReady();
        WaitLog(d, 1, $"cannot use the model {model}");
        WaitLog(d, 1, "forecaster ewma");
    }

    [DaemonFact]
    public void Start_GbmModelWithBrokenTreesAndAFreshChecksum_SaysWhyAndForecastsWithTheConfiguredForecaster()
    {
        // "Tree=0" renamed "Xree=0" used to reach LightGBM's parser, which aborted the daemon; with
        // the checksum recomputed only the managed check of the model text stands in the way.
        string model = Path.Join(_dir, "gbm.gpfc");
        File.WriteAllBytes(model, DamagedModels.GbmWithXree0());
        DaemonProcess d = Own(DaemonProcess.Start(_dir, $"model: {model}\n"));
        d.WaitReady();
        WaitLog(d, 1, $"cannot use the model {model} (saved 'gbm' forecaster holds a model text that is not a LightGBM model of its 62 features: model text has no 'Tree=0' after its header)");
        WaitLog(d, 1, "forecaster ewma");
        Assert.False(d.HasExited);
    }

    [DaemonFact]
    public void Start_BadConfiguration_ExitsTwoWithOnePositionedMessage()
    {
        DaemonProcess d = Own(DaemonProcess.Start(_dir, "horizon: many\n"));
        Assert.True(SpinUntil(() => d.HasExited, 30_000));
        Assert.Equal(2, d.ExitCode);
        Assert.Contains($"gpupredictd: {Path.Join(_dir, "gpupredictd.yaml")}:2:10: horizon: expected a whole number in [1, 1000], found 'many'", d.Log, StringComparison.Ordinal);
    }

    [DaemonFact]
    public void Flood_ConnectionsFromAHostileProcess_DoNotStopTheTickOrOtherRegistrations()
    {
        DaemonProcess d = StartWithPolicy(Ceiling64MiB);
        var flood = new List<int>();
        for (int i = 0; i < 300; i++)
        {
            int fd = RawSocket.ConnectSeqPacket(d.Socket);
            if (fd >= 0)
            {
                RawSocket.Send(fd, [0xde, 0xad, 0xbe, 0xef]);
                flood.Add(fd);
            }
        }

        using Application app = Application.Start(d.Socket, _dir, allocations: 8, bytes: 32UL << 20, everyMs: 20, durationSeconds: 3);
        Dictionary<string, long> counters = app.Wait();
        flood.ForEach(fd => _ = RawSocket.Close(fd));
        Assert.True(counters["out_of_memory"] > 0, "the application was not managed during the flood");
        JsonElement status = d.Status()!.Value;
        _output.WriteLine($"{flood.Count} flooding connections; refused {status.GetProperty("refused")}, dropped {status.GetProperty("dropped_connections")}");
        Assert.True(flood.Count > 100, $"only {flood.Count} connections got through the backlog");
        Assert.True(status.GetProperty("refused").GetInt64() + status.GetProperty("dropped_connections").GetInt64() > 100, status.ToString());
        Assert.Equal(1, status.GetProperty("registered_total").GetInt64());
    }

    private DaemonProcess StartWithPolicy(string policy)
    {
        string policies = Path.Join(_dir, "policies.yaml");
        File.WriteAllText(policies, policy);
        DaemonProcess d = Own(DaemonProcess.Start(_dir, $"policies: {policies}\n"));
        d.WaitReady();
        return d;
    }

    private static void WaitLog(DaemonProcess d, int count, string text) =>
        Assert.True(SpinUntil(() => d.Log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) >= count, 10_000), $"no '{text}' (x{count}) in:\n{d.Log}");

    private static bool SpinUntil(Func<bool> condition, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    private T Own<T>(T d)
        where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }
}

/// <summary>A fact that needs the built daemon, loadgen, the interposer and the libcuda test double; skipped, saying which is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DaemonFactAttribute : FactAttribute
{
    public DaemonFactAttribute()
    {
        string? missing = new[]
        {
            DaemonProcess.Dll,
            Application.Loadgen,
            Path.Combine(DaemonProcess.Native, "intercept", "libgpupredict-cuda.so"),
            Path.Combine(DaemonProcess.Native, "testing", "libcuda.so.1"),
        }.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            Skip = $"{missing} is not built: run ./build.sh build first";
        }
    }
}

/// <summary>The daemon's inventory through the NVML TEST DOUBLE (native/build/testing/libnvidia-ml.so.1), scripted by a file.</summary>
public sealed class DaemonInventoryTests
{
    [DaemonFact]
    public void Check_GpusAuto_TakesTheInventoryFromNvml()
    {
        string dir = Directory.CreateTempSubdirectory("gpupredictd-nvml-").FullName;
        try
        {
            string nvml = Path.Join(dir, "gpus.txt");
            File.WriteAllText(nvml, "driver version=560.35.03\ngpu index=0 uuid=GPU-0aaa name=\"NVIDIA H100 80GB HBM3\" memory=80G\ngpu index=1 uuid=GPU-1bbb name=\"NVIDIA A100-SXM4-40GB\" memory=40G\n");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in (string[])[DaemonProcess.Dll, "--runtime-dir", dir, "--check"])
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["LD_LIBRARY_PATH"] = Path.Combine(DaemonProcess.Native, "testing");
            start.Environment["GP_FAKE_NVML_FILE"] = nvml;
            using Process p = Process.Start(start)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(30_000));
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("GPUs: 2 from NVML (driver 560.35.03): NVIDIA H100 80GB HBM3, NVIDIA A100-SXM4-40GB", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

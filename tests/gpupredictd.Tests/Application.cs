using System.Diagnostics;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// A CUDA application as the daemon sees one: <c>gpupredict-loadgen</c> replaying an event file through
/// the interposer (LD_PRELOAD) against the libcuda TEST DOUBLE.
/// </summary>
internal sealed class Application : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private Application(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string Loadgen => Path.Combine(DaemonProcess.Native, "gpupredict-loadgen");

    public int Pid => _process.Id;

    /// <summary>
    /// Writes an event file of <paramref name="allocations"/> allocations of <paramref name="bytes"/>
    /// each, one every <paramref name="everyMs"/> ms, then frees them all, and runs loadgen on it in a loop.
    /// </summary>
    public static Application Start(string socket, string dir, int allocations, ulong bytes, int everyMs, double durationSeconds)
    {
        var events = new List<GpuEvent>();
        ulong t = 0;
        for (int i = 1; i <= allocations; i++)
        {
            events.Add(new GpuEvent { Kind = GpuEventKind.Alloc, Bytes = bytes, Address = (ulong)i, TimestampNs = t, EndNs = t, Device = 0 });
            events.Add(new GpuEvent { Kind = GpuEventKind.KernelExec, TimestampNs = t + 1000, EndNs = t + 2_000_000, Device = 0 });
            t += (ulong)everyMs * 1_000_000;
        }

        for (int i = 1; i <= allocations; i++)
        {
            events.Add(new GpuEvent { Kind = GpuEventKind.Free, Bytes = bytes, Address = (ulong)i, TimestampNs = t, EndNs = t, Device = 0 });
        }

        string file = Path.Join(dir, $"app-{Guid.NewGuid():N}.gpev");
        using (FileStream f = File.Create(file))
        {
            new EventFile(1, "test", 10_000_000, [.. events]).Write(f);
        }

        var start = new ProcessStartInfo(Loadgen)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])["--loop", "0", "--duration", durationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), file])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LD_PRELOAD"] = Path.Combine(DaemonProcess.Native, "intercept", "libgpupredict-cuda.so");
        start.Environment["LD_LIBRARY_PATH"] = Path.Combine(DaemonProcess.Native, "testing");
        start.Environment["GPUPREDICT_SOCKET"] = socket;
        start.Environment["GPUPREDICT_CUPTI"] = "0";
        start.Environment["GP_FAKE_CUDA_TOTAL_BYTES"] = "80G";
        return new Application(Process.Start(start)!);
    }

    /// <summary>Waits for it to finish; its JSON counters.</summary>
    public Dictionary<string, long> Wait(int timeoutMs = 30_000)
    {
        Assert.True(_process.WaitForExit(timeoutMs), "loadgen did not finish");
        _process.WaitForExit();
        string json = _stdout.Result.Trim();
        Assert.True(_process.ExitCode == 0, $"loadgen exited {_process.ExitCode}: {_stderr.Result}");
        return System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(json)!;
    }

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}

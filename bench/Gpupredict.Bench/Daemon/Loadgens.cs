using System.Diagnostics;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// Applications for the daemon benchmarks: <c>gpupredict-loadgen</c> under the real interposer
/// (LD_PRELOAD) against the libcuda test double, looping a small event file (each 10 ms: a 4 MiB
/// allocation, a 2 ms kernel, a 64 KiB host-to-device copy; all freed at the end of the 100 ms lap),
/// about 400 driver calls a second each. Started pinned to <see cref="Cpu"/> when given.
/// </summary>
internal sealed class Loadgens : IDisposable
{
    private readonly string _file;
    private readonly List<Process> _running = [];
    private readonly List<Process> _killed = [];

    public Loadgens(string dir)
    {
        var events = new List<GpuEvent>();
        ulong t = 0;
        for (int i = 1; i <= 10; i++)
        {
            events.Add(new GpuEvent { Kind = GpuEventKind.Alloc, Bytes = 4UL << 20, Address = (ulong)i, TimestampNs = t, EndNs = t, Device = 0 });
            events.Add(new GpuEvent { Kind = GpuEventKind.KernelExec, TimestampNs = t + 1000, EndNs = t + 2_000_000, Device = 0, GridX = 64, GridY = 1, GridZ = 1, BlockX = 256, BlockY = 1, BlockZ = 1 });
            events.Add(new GpuEvent { Kind = GpuEventKind.MemcpyHtoD, Bytes = 64UL << 10, TimestampNs = t + 3_000_000, EndNs = t + 3_010_000, Device = 0 });
            t += 10_000_000;
        }

        for (int i = 1; i <= 10; i++)
        {
            events.Add(new GpuEvent { Kind = GpuEventKind.Free, Bytes = 4UL << 20, Address = (ulong)i, TimestampNs = t, EndNs = t, Device = 0 });
        }

        _file = Path.Join(dir, "app.gpev");
        using FileStream f = File.Create(_file);
        new EventFile(1, "bench", 10_000_000, [.. events]).Write(f);
    }

    public static string Native => Path.Combine(DaemonBench.RepoRoot, "native", "build");

    public int? Cpu { get; init; }

    public IReadOnlyList<Process> Running => _running;

    /// <summary>Starts one looping loadgen registering at <paramref name="socket"/>.</summary>
    public Process Start(string socket)
    {
        string loadgen = Path.Combine(Native, "gpupredict-loadgen");
        var start = new ProcessStartInfo(Cpu is null ? loadgen : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Cpu is { } cpu)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(loadgen);
        }

        foreach (string a in (string[])["--loop", "0", "--quiet", "--staging", "1M", _file])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LD_PRELOAD"] = Path.Combine(Native, "intercept", "libgpupredict-cuda.so");
        start.Environment["LD_LIBRARY_PATH"] = Path.Combine(Native, "testing");
        start.Environment["GPUPREDICT_SOCKET"] = socket;
        start.Environment["GPUPREDICT_CUPTI"] = "0";
        start.Environment["GP_FAKE_CUDA_TOTAL_BYTES"] = "80G";
        Process p = Process.Start(start)!;
        _running.Add(p);
        return p;
    }

    /// <summary>SIGKILL to one: the application dies as a crashed one does; its connection hangs up.</summary>
    /// <remarks>Sends the signal without waiting for the exit, so a tick on the calling thread is not held up; reaped on dispose.</remarks>
    public void Kill(Process p)
    {
        BenchNative.Kill(p.Id, 9);
        _running.Remove(p);
        _killed.Add(p);
    }

    public void Dispose()
    {
        foreach (Process p in _running)
        {
            try
            {
                p.Kill();
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        _running.Clear();
        foreach (Process p in _killed)
        {
            p.WaitForExit(5000);
            p.Dispose();
        }

        _killed.Clear();
    }
}

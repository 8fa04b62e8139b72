using System.Collections.Concurrent;
using System.Diagnostics;
using Gpupredict.Interop.Native;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// The real gpupredictd process (the Release build), on a private runtime directory with 4 x H100
/// 80GB declared, its log lines collected with the CLOCK_MONOTONIC time this process read each.
/// </summary>
internal sealed class DaemonRun : IDisposable
{
    private readonly Process _process;

    private DaemonRun(Process process, string runtimeDirectory)
    {
        _process = process;
        RuntimeDirectory = runtimeDirectory;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(DaemonBench.RepoRoot, "src", "gpupredictd", "bin", "Release", "net10.0", "gpupredictd.dll");

    public string RuntimeDirectory { get; }

    public string Socket => Path.Join(RuntimeDirectory, "register.sock");

    public int Pid => _process.Id;

    /// <summary>Log lines with the monotonic ns each was read at.</summary>
    public ConcurrentQueue<(long Ns, string Line)> Log { get; } = new();

    /// <summary>
    /// Applications registered since this daemon started, from its status file (<c>registered_total</c>;
    /// the registration log line is rate-limited per uid, so it cannot be counted). Start the daemon with
    /// a short <c>status_interval</c> for timing: this is as fresh as the file.
    /// </summary>
    public int Registrations
    {
        get
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Join(RuntimeDirectory, "status.json")));
                return doc.RootElement.GetProperty("pid").GetInt32() == _process.Id ? doc.RootElement.GetProperty("registered_total").GetInt32() : 0;
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                return 0;
            }
        }
    }

    public static DaemonRun Start(string runtimeDirectory, string config = "")
    {
        string configPath = Path.Join(runtimeDirectory, "gpupredictd.yaml");
        File.WriteAllText(configPath, config);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Dll, "--config", configPath, "--runtime-dir", runtimeDirectory, "--gpus", "4 x H100 80GB"])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("NOTIFY_SOCKET");
        return new DaemonRun(Process.Start(start)!, runtimeDirectory);
    }

    /// <summary>Waits for the socket; the monotonic ns at which it was first seen (polled every 0.5 ms).</summary>
    public long WaitListening(int timeoutMs = 30_000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (!File.Exists(Socket))
        {
            if (_process.HasExited || Environment.TickCount64 > deadline)
            {
                throw new InvalidOperationException($"gpupredictd did not listen:\n{string.Join('\n', Log.Select(l => l.Line))}");
            }

            Thread.Sleep(TimeSpan.FromMicroseconds(500));
        }

        return MonotonicClock.NowNs();
    }

    /// <summary>Fields of /proc/PID/status and /proc/PID/smaps_rollup, kB.</summary>
    public Dictionary<string, long> Memory()
    {
        var kb = new Dictionary<string, long>();
        foreach (string file in (string[])["status", "smaps_rollup"])
        {
            foreach (string line in File.ReadAllLines($"/proc/{Pid}/{file}"))
            {
                string[] parts = line.Split(':', 2);
                if (parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal) && long.TryParse(parts[1].Trim()[..^3].Trim(), out long v))
                {
                    kb[file + "." + parts[0]] = v;
                }
            }
        }

        return kb;
    }

    /// <summary>SIGTERM, then waits for the exit.</summary>
    public void Terminate()
    {
        BenchNative.Kill(Pid, 15);
        _process.WaitForExit(15_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            Log.Enqueue((MonotonicClock.NowNs(), line));
        }
    }
}

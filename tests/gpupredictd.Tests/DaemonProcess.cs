using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// gpupredictd run as its own process, unprivileged on a private runtime directory, exactly as the
/// demo runs it: its log lines collected, its status file read, signals sent with kill(2).
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private DaemonProcess(Process process, string runtimeDirectory)
    {
        _process = process;
        RuntimeDirectory = runtimeDirectory;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(RepoPaths.Root, "src", "gpupredictd", "bin", Configuration, "net10.0", "gpupredictd.dll");

    public static string Native => Path.Combine(RepoPaths.Root, "native", "build");

    public string RuntimeDirectory { get; }

    public string Socket => Path.Join(RuntimeDirectory, "register.sock");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log => string.Join('\n', _log);

    /// <summary>Starts the daemon on <paramref name="runtimeDirectory"/> with <paramref name="config"/> (a file it writes there) and extra arguments.</summary>
    public static DaemonProcess Start(string runtimeDirectory, string config = "", string? notifySocket = null, long watchdogUsec = 0, params string[] args)
    {
        string configPath = Path.Join(runtimeDirectory, "gpupredictd.yaml");
        File.WriteAllText(configPath, $"status_interval: 100ms\n{config}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (string a in (string[])["--config", configPath, "--runtime-dir", runtimeDirectory, .. args])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        if (notifySocket is not null)
        {
            start.Environment["NOTIFY_SOCKET"] = notifySocket;
        }

        if (watchdogUsec > 0)
        {
            start.Environment["WATCHDOG_USEC"] = watchdogUsec.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new DaemonProcess(Process.Start(start)!, runtimeDirectory);
    }

    /// <summary>Waits until the registration socket exists and a status file says it ticks.</summary>
    public void WaitReady(int timeoutMs = 30_000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"gpupredictd exited ({_process.ExitCode}):\n{Log}");
            }

            if (File.Exists(Socket) && Status() is { } s && s.GetProperty("ticks").GetInt64() > 0)
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"gpupredictd not ready in {timeoutMs} ms:\n{Log}");
    }

    /// <summary>The status document, or null while there is none (or it is being replaced).</summary>
    public JsonElement? Status()
    {
        try
        {
            using JsonDocument d = JsonDocument.Parse(File.ReadAllText(Path.Join(RuntimeDirectory, "status.json")));
            return d.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the status document; returns the elapsed ms.</summary>
    public long WaitStatus(Func<JsonElement, bool> condition, int timeoutMs, string what)
    {
        long start = Environment.TickCount64;
        while (Environment.TickCount64 - start < timeoutMs)
        {
            if (Status() is { } s && condition(s))
            {
                return Environment.TickCount64 - start;
            }

            Thread.Sleep(10);
        }

        throw new TimeoutException($"{what}: not within {timeoutMs} ms; last status:\n{Status()}\nlog:\n{Log}");
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Sends SIGTERM and waits; the ms it took to exit.</summary>
    public long Terminate(int timeoutMs = 10_000)
    {
        long start = Environment.TickCount64;
        Signal(Signals.Term);
        Assert.True(_process.WaitForExit(timeoutMs), $"gpupredictd did not exit within {timeoutMs} ms of SIGTERM:\n{Log}");
        _process.WaitForExit();
        return Environment.TickCount64 - start;
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int signal);

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }
}

/// <summary>Signal numbers (x86-64 and arm64 Linux).</summary>
internal static class Signals
{
    public const int Hup = 1;
    public const int Kill = 9;
    public const int Term = 15;
}

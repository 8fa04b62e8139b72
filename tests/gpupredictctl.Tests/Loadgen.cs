using System.Diagnostics;
using System.Text.Json;

namespace Gpupredict.Ctl.Tests;

/// <summary>Runs <c>native/build/gpupredict-loadgen</c> against the libcuda test double.</summary>
internal static class Loadgen
{
    private static readonly string Build = Path.Combine(RepoPaths.Root, "native", "build");

    public static string Program => Path.Combine(Build, "gpupredict-loadgen");

    public static string FakeLibcuda => Path.Combine(Build, "testing", "libcuda.so.1");

    /// <summary>Exit code, the JSON line's counters, and stderr.</summary>
    public static (int ExitCode, Dictionary<string, long> Counters, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LD_LIBRARY_PATH"] = Path.GetDirectoryName(FakeLibcuda);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException($"gpupredict-loadgen {string.Join(' ', args)} ran over 60 s");
        }

        string json = stdout.Result.Trim();
        Dictionary<string, long> counters = json.Length == 0 ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(json)!;
        return (p.ExitCode, counters, stderr.Result);
    }
}

using System.Diagnostics;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// Builds and runs <c>native/build/abi_layout</c>, once per test run. make runs every time: it is
/// incremental, so an up-to-date binary costs one no-op make, and a stale one (abi.h, the tool or
/// the flags changed) is rebuilt. Without make or a C compiler the tests fail saying so.
/// </summary>
internal static class NativeLayout
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<CLayout> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ABI as this machine's C compiler lays it out.</summary>
    public static CLayout Layout => Loaded.Value;

    /// <summary>
    /// A message naming the tools the build needs and cannot find on <paramref name="path"/>, or null.
    /// <paramref name="cc"/> is the CC environment variable (make's compiler), null for cc.
    /// </summary>
    public static string? MissingTools(string? path, string? cc)
    {
        string compiler = string.IsNullOrWhiteSpace(cc) ? "cc" : cc.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        string[] missing = new[] { "make", compiler }.Where(t => !IsOnPath(t, path)).ToArray();
        return missing.Length == 0
            ? null
            : $"The ABI mirror tests build native/tools/abi_layout with make and a C compiler, and " +
              $"{string.Join(" and ", missing)} cannot be found on PATH ({path}). Install them " +
              "(Debian/Ubuntu: apt-get install make gcc) and run the tests again.";
    }

    private static CLayout Load()
    {
        string? missing = MissingTools(Environment.GetEnvironmentVariable("PATH"), Environment.GetEnvironmentVariable("CC"));
        if (missing is not null)
        {
            throw new InvalidOperationException(missing);
        }

        string native = Path.Combine(RepoPaths.Root, "native");
        Run("make", native, "-C", native, "abi_layout");
        return CLayout.Parse(Run(Path.Combine(native, "build", "abi_layout"), native));
    }

    private static bool IsOnPath(string tool, string? path) =>
        tool.Contains('/', StringComparison.Ordinal)
            ? File.Exists(tool)
            : (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static string Run(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran past {Timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{stderr.Result}{stdout.Result}");
        }

        return stdout.Result;
    }
}

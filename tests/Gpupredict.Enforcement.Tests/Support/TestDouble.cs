using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Tests.Support;

/// <summary>
/// The shell-script test doubles of the NVIDIA tools (copied next to the test binaries), run through
/// the real <see cref="SystemProcessRunner"/> with the double's control variables added.
/// </summary>
internal static class TestDouble
{
    public const string MpsControl = "fake-nvidia-cuda-mps-control";

    public const string CudaCheckpoint = "fake-cuda-checkpoint";

    /// <summary>The script's path, made executable (a copy does not always keep the mode).</summary>
    public static string PathOf(string name)
    {
        string path = Path.Join(AppContext.BaseDirectory, "TestDoubles", name);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>A runner that adds <paramref name="environment"/> to every request before the real runner starts it.</summary>
    public static IProcessRunner Runner(IReadOnlyDictionary<string, string?> environment) => new WithEnvironment(environment);

    private sealed class WithEnvironment(IReadOnlyDictionary<string, string?> environment) : IProcessRunner
    {
        public ProcessResult Run(ProcessRequest request)
        {
            var merged = new Dictionary<string, string?>(environment, StringComparer.Ordinal);
            foreach ((string name, string? value) in request.Environment ?? new Dictionary<string, string?>())
            {
                merged[name] = value;
            }

            return SystemProcessRunner.Instance.Run(request with { Environment = merged });
        }
    }
}

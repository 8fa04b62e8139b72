namespace Gpupredict.Enforcement.Mps;

/// <summary>How the mps backend reaches the MPS control daemon.</summary>
/// <param name="Executable">nvidia-cuda-mps-control: a path, or a name looked up on PATH.</param>
/// <param name="PipeDirectory">The daemon's pipe directory, passed as CUDA_MPS_PIPE_DIRECTORY; null keeps the daemon's environment (default /tmp/nvidia-mps).</param>
/// <param name="Timeout">How long one command may take before it is killed.</param>
/// <param name="ProcRoot">Where /proc is (injected for tests): an application's and a server's owners are read from <c>&lt;ProcRoot&gt;/&lt;pid&gt;/status</c>.</param>
public sealed record MpsOptions(
    string Executable = MpsOptions.DefaultExecutable,
    string? PipeDirectory = null,
    TimeSpan? Timeout = null,
    string ProcRoot = "/proc")
{
    /// <summary>The control utility's name.</summary>
    public const string DefaultExecutable = "nvidia-cuda-mps-control";

    /// <summary>The timeout in force: <see cref="Timeout"/>, or 10 s.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(10);
}

namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>How the checkpoint backend runs NVIDIA's cuda-checkpoint utility.</summary>
/// <param name="Executable">cuda-checkpoint: a path, or a name looked up on PATH.</param>
/// <param name="Timeout">How long one run may take before it is killed (a checkpoint copies all device memory: allow seconds to minutes).</param>
/// <param name="LockTimeoutMs">Passed as <c>--timeout</c> to the lock action (r570+) so a lock cannot hang on a busy process; null passes none.</param>
/// <param name="GpuUuid">Resolves a GPU index to its UUID (e.g. from NVML), for restoring onto another GPU; null when unavailable.</param>
public sealed record CudaCheckpointOptions(
    string Executable = CudaCheckpointOptions.DefaultExecutable,
    TimeSpan? Timeout = null,
    int? LockTimeoutMs = 10_000,
    Func<int, string?>? GpuUuid = null)
{
    /// <summary>The utility's name.</summary>
    public const string DefaultExecutable = "cuda-checkpoint";

    /// <summary>The timeout in force: <see cref="Timeout"/>, or 5 minutes.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}

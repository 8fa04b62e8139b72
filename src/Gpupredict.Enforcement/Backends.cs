using Gpupredict.Core.Enforcement;
using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Enforcement;

/// <summary>
/// The real enforcement backends by name, as configuration names them. The simulated node
/// (<see cref="SimulatedGpuNode.BackendName"/>) is not built here: it needs the node's GPUs and a
/// cost model, which the replay constructs itself.
/// </summary>
public static class Backends
{
    /// <summary>The names <see cref="Create"/> knows, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [InterposerControlBackend.BackendName, MpsBackend.BackendName, CudaCheckpointBackend.BackendName];

    /// <summary>Builds the backend named <paramref name="name"/> (ordinal, case-sensitive), or says why not: an unknown name (listing the known ones) or an invalid option.</summary>
    public static (IEnforcementBackend? Backend, string? Error) Create(string name, BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        IProcessRunner runner = options.Runner ?? SystemProcessRunner.Instance;
        switch (name)
        {
            case InterposerControlBackend.BackendName:
                if (!Path.IsPathRooted(options.ShmDirectory))
                {
                    return (null, $"the shm directory must be an absolute path, got '{options.ShmDirectory}'");
                }

                return (new InterposerControlBackend(new ShmRoot(options.ShmDirectory), options.Clock ?? new MonotonicStepClock(0)), null);
            case MpsBackend.BackendName:
                return (new MpsBackend(runner, options.Mps ?? new MpsOptions()), null);
            case CudaCheckpointBackend.BackendName:
                return (new CudaCheckpointBackend(runner, options.Checkpoint ?? new CudaCheckpointOptions()), null);
            default:
                string simulated = name == SimulatedGpuNode.BackendName ? " (the simulated node is built by the replay, with its GPUs)" : string.Empty;
                return (null, $"unknown enforcement backend '{name}'{simulated}; known: {string.Join(", ", Names)}");
        }
    }
}

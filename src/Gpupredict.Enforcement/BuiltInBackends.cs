using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement;

/// <summary>
/// The real enforcement backends this build ships, each once; <see cref="BackendCatalog"/> and the
/// host's registrations (<see cref="EnforcementServiceCollectionExtensions.AddBackends"/>) both read
/// this list. The simulated node is not among them: it needs the node's GPUs and a cost model, which
/// the replay constructs itself.
/// </summary>
public static class BuiltInBackends
{
    /// <summary>The registrations, in the order names are listed.</summary>
    public static IReadOnlyList<BackendRegistration> All { get; } =
    [
        new(InterposerControlBackend.BackendName, o => o.ControlBlocks is { } blocks
            ? new InterposerControlBackend(blocks, o.Clock ?? new MonotonicStepClock(0))
            : throw new ArgumentException("the interposer backend needs the registrations' control blocks (BackendOptions.ControlBlocks): it writes the blocks the daemon created when applications registered")),
        new(MpsBackend.BackendName, o => new MpsBackend(o.Runner ?? SystemProcessRunner.Instance, o.Mps ?? new MpsOptions())),
        new(CudaCheckpointBackend.BackendName, o => new CudaCheckpointBackend(o.Runner ?? SystemProcessRunner.Instance, o.Checkpoint ?? new CudaCheckpointOptions())),
    ];
}

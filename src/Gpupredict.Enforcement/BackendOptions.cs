using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement;

/// <summary>What a backend (<see cref="BackendCatalog.Create"/>) needs to build a real backend; every field but <paramref name="ControlBlocks"/> has the production default.</summary>
/// <param name="ControlBlocks">The control blocks the daemon created at registration; the interposer backend writes them and cannot be built without them.</param>
/// <param name="Mps">How the mps backend reaches nvidia-cuda-mps-control.</param>
/// <param name="Checkpoint">How the checkpoint backend runs cuda-checkpoint.</param>
/// <param name="Runner">Runs the NVIDIA tools; <see cref="SystemProcessRunner.Instance"/> when null.</param>
/// <param name="Clock">Maps steps to CLOCK_MONOTONIC for the interposer; a <see cref="MonotonicStepClock"/> anchored at step 0 on creation when null.</param>
public sealed record BackendOptions(
    IControlBlocks? ControlBlocks = null,
    MpsOptions? Mps = null,
    CudaCheckpointOptions? Checkpoint = null,
    IProcessRunner? Runner = null,
    IStepClock? Clock = null);

namespace Gpupredict.Interop.Nvml;

/// <summary>One GPU of the node's inventory.</summary>
/// <param name="Index">NVML's device index (0-based, as CUDA_VISIBLE_DEVICES counts by default).</param>
/// <param name="Uuid">The GPU's UUID ("GPU-..."); "GPU-simulated-N" for a declared GPU.</param>
/// <param name="Name">The product name, e.g. "NVIDIA H100 80GB HBM3".</param>
/// <param name="MemoryBytes">Installed device memory, bytes.</param>
/// <param name="MigMode">Current MIG mode.</param>
/// <param name="ComputeMode">Compute mode.</param>
/// <param name="MultiprocessorCount">Streaming multiprocessors; null when NVML cannot tell or the GPU is declared.</param>
public sealed record GpuDevice(int Index, string Uuid, string Name, ulong MemoryBytes, GpuMigMode MigMode, GpuComputeMode ComputeMode, int? MultiprocessorCount);

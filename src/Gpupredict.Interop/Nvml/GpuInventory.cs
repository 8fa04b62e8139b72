using System.Collections.Immutable;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// The node's GPUs at one moment, from NVML (<see cref="NvmlInventory.Read"/>) or declared in
/// configuration (<see cref="DeclaredGpuInventory.Parse"/>). Immutable.
/// </summary>
/// <param name="Gpus">The GPUs in index order (<c>Gpus[i].Index == i</c>).</param>
/// <param name="Simulated">True when declared rather than read from a driver: no real GPU stands behind it.</param>
/// <param name="DriverVersion">The NVIDIA driver version NVML reports; null when declared.</param>
public sealed record GpuInventory(ImmutableArray<GpuDevice> Gpus, bool Simulated, string? DriverVersion)
{
    /// <summary>The sum of every GPU's memory, bytes.</summary>
    public ulong TotalMemoryBytes => Gpus.Aggregate(0UL, static (sum, gpu) => sum + gpu.MemoryBytes);
}

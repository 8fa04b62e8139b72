using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Interop.Nvml;

/// <summary>The planner's view of an inventory: one <see cref="GpuCapacity"/> per GPU.</summary>
public static class GpuInventoryCapacity
{
    /// <summary>
    /// One capacity per GPU, in index order: SM fraction 1.0 (the whole GPU), the model's peak memory
    /// bandwidth in bytes per second (<see cref="KnownGpuBandwidth"/>, else
    /// <paramref name="unknownModelBandwidthBytesPerSecond"/>) and its memory in bytes. A GPU in MIG
    /// mode still counts as one whole GPU: the planner does not model MIG instances.
    /// </summary>
    public static IReadOnlyList<GpuCapacity> ToCapacities(GpuInventory inventory, double unknownModelBandwidthBytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unknownModelBandwidthBytesPerSecond);
        var capacities = new GpuCapacity[inventory.Gpus.Length];
        foreach (GpuDevice gpu in inventory.Gpus)
        {
            double bandwidth = KnownGpuBandwidth.TryGet(gpu.Name, out double known) ? known : unknownModelBandwidthBytesPerSecond;
            capacities[gpu.Index] = new GpuCapacity(gpu.Index, gpu.Name, new ResourceVector(1.0, bandwidth, gpu.MemoryBytes));
        }

        return capacities;
    }
}

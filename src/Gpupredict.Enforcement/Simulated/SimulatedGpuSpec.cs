using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Enforcement.Simulated;

/// <summary>Ready-made GPU capacities for the simulated node (vendor data sheet figures).</summary>
public static class SimulatedGpuSpec
{
    /// <summary>NVIDIA H100 SXM5 80 GB: 80 GiB of HBM3 at 3.35 TB/s.</summary>
    public static GpuCapacity H100Sxm(int index) => new(index, "H100-SXM5-80GB", new ResourceVector(1.0, 3.35e12, 80.0 * (1UL << 30)));

    /// <summary>A GPU of the given memory size in GiB, H100 bandwidth.</summary>
    public static GpuCapacity WithMemory(int index, double gib) => new(index, $"GPU-{gib:0.#}GiB", new ResourceVector(1.0, 3.35e12, gib * (1UL << 30)));
}

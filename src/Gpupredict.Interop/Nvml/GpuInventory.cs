using System.Collections.Immutable;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// The node's GPUs at one moment, from NVML (<see cref="NvmlInventory.Read"/>) or declared in
/// configuration (<see cref="DeclaredGpuInventory.Parse"/>). Immutable; two inventories are equal
/// when their GPUs are, one by one, and the rest is equal (so a re-read can tell "nothing changed").
/// </summary>
/// <param name="Gpus">The GPUs in index order (<c>Gpus[i].Index == i</c>).</param>
/// <param name="Simulated">True when declared rather than read from a driver: no real GPU stands behind it.</param>
/// <param name="DriverVersion">The NVIDIA driver version NVML reports; null when declared.</param>
public sealed record GpuInventory(ImmutableArray<GpuDevice> Gpus, bool Simulated, string? DriverVersion)
{
    /// <summary>The sum of every GPU's memory, bytes.</summary>
    public ulong TotalMemoryBytes => Gpus.Aggregate(0UL, static (sum, gpu) => sum + gpu.MemoryBytes);

    /// <summary>Equal GPUs in the same order, same <see cref="Simulated"/> and <see cref="DriverVersion"/>.</summary>
    public bool Equals(GpuInventory? other) =>
        other is not null && Simulated == other.Simulated && DriverVersion == other.DriverVersion && Gpus.SequenceEqual(other.Gpus);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Simulated);
        hash.Add(DriverVersion);
        foreach (GpuDevice gpu in Gpus)
        {
            hash.Add(gpu);
        }

        return hash.ToHashCode();
    }
}

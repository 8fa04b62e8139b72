using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Interop.Nvml;

namespace Gpupredict.Interop.Tests.Nvml;

public sealed class GpuInventoryCapacityTests
{
    private const double GiB = 1UL << 30;

    [Fact]
    public void ToCapacities_DeclaredInventory_WholeGpusWithDataSheetBandwidthAndMemory()
    {
        GpuInventory inventory = DeclaredGpuInventory.Parse("2 x A100 40GB, 1 x L4 24GB, 1 x Mystery 8GB");

        IReadOnlyList<GpuCapacity> capacities = GpuInventoryCapacity.ToCapacities(inventory, unknownModelBandwidthBytesPerSecond: 100e9);

        Assert.Equal(
            [
                new GpuCapacity(0, "A100 40GB", new ResourceVector(1.0, 1.555e12, 40 * GiB)),
                new GpuCapacity(1, "A100 40GB", new ResourceVector(1.0, 1.555e12, 40 * GiB)),
                new GpuCapacity(2, "L4 24GB", new ResourceVector(1.0, 300e9, 24 * GiB)),
                new GpuCapacity(3, "Mystery 8GB", new ResourceVector(1.0, 100e9, 8 * GiB)), // unknown model: the fallback
            ],
            capacities);
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", 3.35e12)]
    [InlineData("NVIDIA H100 PCIe", 2.0e12)]
    [InlineData("NVIDIA A100-SXM4-80GB", 2.039e12)]
    [InlineData("NVIDIA A100-SXM4-40GB", 1.555e12)]
    [InlineData("NVIDIA A10", 600e9)]  // not A100
    [InlineData("NVIDIA L40S", 864e9)]
    [InlineData("NVIDIA L4", 300e9)]   // not L40
    [InlineData("Tesla T4", 320e9)]
    public void TryGet_KnownModel_DataSheetBandwidth(string name, double bytesPerSecond)
    {
        Assert.True(KnownGpuBandwidth.TryGet(name, out double got));
        Assert.Equal(bytesPerSecond, got);
    }

    [Fact]
    public void TryGet_UnknownModel_False()
    {
        Assert.False(KnownGpuBandwidth.TryGet("NVIDIA GeForce RTX 4090", out _));
    }
}

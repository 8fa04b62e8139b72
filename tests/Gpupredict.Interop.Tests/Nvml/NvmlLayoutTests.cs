using System.Runtime.InteropServices;
using Gpupredict.Interop.Nvml;

namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>
/// The C# mirrors of NVML's structures have the layout native/include/gpupredict/nvml_subset.h pins
/// with _Static_assert (x86-64 and arm64 Linux). The mirrors are internal, so they are found by name.
/// </summary>
public sealed class NvmlLayoutTests
{
    [Theory]
    [InlineData("NvmlProcessInfo", 24, new[] { "Pid", "UsedGpuMemory", "GpuInstanceId", "ComputeInstanceId" }, new[] { 0, 8, 16, 20 })]
    [InlineData("NvmlMemory", 24, new[] { "Total", "Free", "Used" }, new[] { 0, 8, 16 })]
    public void Mirror_SizeAndOffsets_MatchTheCStructure(string type, int size, string[] fields, int[] offsets)
    {
        Type mirror = typeof(NvmlInventory).Assembly.GetType($"Gpupredict.Interop.Nvml.{type}", throwOnError: true)!;

        Assert.Equal(size, Marshal.SizeOf(mirror));
        Assert.Equal(offsets, fields.Select(f => (int)Marshal.OffsetOf(mirror, f)));
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Tests;

public class AllocationTests
{
    private const ulong MiB = 1UL << 20;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(1, 2 * MiB)]
    [InlineData(2 * MiB, 2 * MiB)]
    [InlineData((2 * MiB) + 1, 4 * MiB)]
    public void RoundUp_Bytes_WholeChunks(double bytes, ulong expected) => Assert.Equal(expected, VramGranularity.RoundUp(bytes));

    [Fact]
    public void RoundUp_NaN_IsZero() => Assert.Equal(0UL, VramGranularity.RoundUp(double.NaN));

    [Theory]
    [InlineData(0, 4, 2, 0.5, 0, 10, null)]
    [InlineData(-1, 4, 2, 0.5, 0, 10, "negative")]
    [InlineData(0, 4, 6, 0.5, 0, 10, "exceeds the quota")]
    [InlineData(0, 4, 2, 1.5, 0, 10, "outside [0, 1]")]
    [InlineData(0, 4, 2, 0.5, 10, 0, "ends before it starts")]
    public void Validate_Cases_ReportProblem(int gpu, ulong quota, ulong premap, double share, long from, long until, string? expected)
    {
        string? problem = new GpuAllocation(new AppId(1, 1), gpu, quota, premap, share, from, until).Validate();
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(3UL, 0.25, null)]
    [InlineData(5UL, 0.25, "reserved VRAM 5 B exceeds the quota 4 B")]
    [InlineData(3UL, 0.75, "reserved SM share 0.75 is outside")]
    public void Validate_Reservation_WithinTheLimits(ulong reservedBytes, double reservedShare, string? expected)
    {
        var a = new GpuAllocation(new AppId(1, 1), 0, 4, 2, 0.5, 0, 10, reservedBytes, reservedShare);
        Assert.Equal(expected is null, a.Validate() is null);
        if (expected is not null)
        {
            Assert.Contains(expected, a.Validate(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Reservation_Unset_IsTheLimit()
    {
        var a = new GpuAllocation(new AppId(1, 1), 0, 4, 2, 0.5, 0, 10);
        Assert.Equal((4UL, 0.5), (a.VramReservation, a.SmReservation));
    }

    [Fact]
    public void Priority_ClassBeforeWeight()
    {
        var guaranteedLow = new Priority(PriorityClass.Guaranteed, 1);
        var burstableHigh = new Priority(PriorityClass.Burstable, 1000);

        Assert.True(guaranteedLow > burstableHigh);
        Assert.True(new Priority(PriorityClass.Burstable, 5) < new Priority(PriorityClass.Burstable, 6));
    }

    [Fact]
    public void ResourceVector_Arithmetic_ComponentWise()
    {
        var a = new ResourceVector(0.5, 10, 100);
        var b = new ResourceVector(0.25, 20, 50);

        Assert.Equal(new ResourceVector(0.75, 30, 150), a + b);
        Assert.Equal(new ResourceVector(0.25, -10, 50), a - b);
        Assert.Equal(new ResourceVector(0.5, 20, 100), ResourceVector.Max(a, b));
        Assert.False(a.FitsWithin(b));
        Assert.True(b.FitsWithin(ResourceVector.Max(a, b)));
        Assert.Equal(7, a.With(Resource.MemoryBandwidth, 7)[Resource.MemoryBandwidth]);
    }
}

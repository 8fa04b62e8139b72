using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Tests;

public class DemandSeriesTests
{
    [Fact]
    public void Peak_ThreeSteps_IsPerResourceMaximum()
    {
        var s = new DemandSeries(new AppId(1, 2), "a", 0, [0.1, 0.9, 0.5], [10, 5, 30], [100, 300, 200], ObservedSignals.SmFromGpuIntervals);

        Assert.Equal(new ResourceVector(0.9, 30, 300), s.Peak());
        Assert.Equal(new ResourceVector(0.9, 5, 300), s[1]);
        Assert.Equal(3, s.Count);
        Assert.Equal([10.0, 5, 30], s.Values(Resource.MemoryBandwidth).ToArray());
    }

    [Theory]
    [InlineData(1.5, 0, 0, "smFraction[0] = 1.5")]
    [InlineData(-0.1, 0, 0, "smFraction[0] = -0.1")]
    [InlineData(0.5, -1, 0, "bandwidthBytesPerSecond[0] = -1")]
    [InlineData(0.5, 0, double.NaN, "vramBytes[0] = NaN")]
    public void Constructor_OutOfRange_ThrowsNamingFieldAndIndex(double sm, double bw, double vram, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new DemandSeries(default, "a", 0, [sm], [bw], [vram], ObservedSignals.None));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LengthsDiffer_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new DemandSeries(default, "a", 0, [0.1, 0.2], [1], [1, 2], ObservedSignals.None));
        Assert.Contains("sm 2, bandwidth 1, vram 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10_000_000, 0)]
    [InlineData(1, 10_000_000, 1)] // 1 tick = 100 ns: one whole step covers it
    [InlineData(5_000_000, 10_000_000, 50)] // 500 ms of 10 ms steps
    [InlineData(3_000_000_000, 57_000_000_000, 6)] // 5 min of 57 s steps: 5.26 -> 6
    public void StepsCovering_Duration_RoundsUpToWholeSteps(long ticks, long stepNs, long expected) =>
        Assert.Equal(expected, TimeBase.StepsCovering(TimeSpan.FromTicks(ticks), stepNs));

    [Fact]
    public void StepNs_DefaultTenMs_CarriedByHeadAndFor()
    {
        var tenMs = new DemandSeries(new AppId(1, 1), "a", 0, [0.1, 0.2], [1, 2], [1, 2], ObservedSignals.None);
        var coarse = new DemandSeries(new AppId(1, 1), "a", 0, [0.1, 0.2], [1, 2], [1, 2], ObservedSignals.None, stepNs: 57_000_000_000);

        Assert.Equal(TimeBase.StepNs, tenMs.StepNs);
        Assert.Equal(57_000_000_000, coarse.Head(1).StepNs);
        Assert.Equal(57_000_000_000, coarse.For(new AppId(2, 1)).StepNs);
        Assert.Equal(57_000_000_000, coarse.WithoutActivity().StepNs);
    }
}

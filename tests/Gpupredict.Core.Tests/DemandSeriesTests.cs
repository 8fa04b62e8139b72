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

    [Fact]
    public void StepOf_InstantsAroundBoundary_FloorToStep()
    {
        Assert.Equal(0, TimeBase.StepOf(1_000 + 9_999_999, 1_000));
        Assert.Equal(1, TimeBase.StepOf(1_000 + 10_000_000, 1_000));
    }
}

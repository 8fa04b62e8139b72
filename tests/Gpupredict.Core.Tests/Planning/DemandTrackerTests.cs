using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Tests.Planning;

public class DemandTrackerTests
{
    private static readonly AppId App = new(42, 7);

    /// <summary>The band the forecasts below use: SM 0.2..0.5, no bandwidth, VRAM 50..100.</summary>
    private static readonly ResourceVector Low = new(0.2, 0, 50);
    private static readonly ResourceVector High = new(0.5, 0, 100);

    /// <summary>
    /// A forecast at levels 0.1, 0.5, 0.99 with <paramref name="low"/> at 0.1 and 0.5 and
    /// <paramref name="high"/> at 0.99 for h=1; h=2 (when asked for) has <paramref name="later"/> at every level.
    /// </summary>
    private static Forecast Band(ResourceVector low, ResourceVector high, ResourceVector? later = null)
    {
        ResourceVector[] levels = [low, low, high];
        var values = new List<double>();
        foreach (ResourceVector v in later is { } l ? [.. levels, l, l, l] : levels)
        {
            values.AddRange([v.SmFraction, v.BandwidthBytesPerSecond, v.VramBytes]);
        }

        return new Forecast(App, 0, later is null ? 1 : 2, [0.1, 0.5, 0.99], [.. values]);
    }

    /// <summary>Observes <paramref name="demand"/>, then remembers the band for the next step.</summary>
    private static DemandTracking Step(DemandTracker tracker, ResourceVector demand, Forecast? next = null)
    {
        DemandTracking t = tracker.Observe(App, demand);
        tracker.Remember(next ?? Band(Low, High));
        return t;
    }

    [Fact]
    public void Observe_FirstStep_NoForecastGivesZeroAboveAndBelow()
    {
        var tracker = new DemandTracker();

        DemandTracking t = tracker.Observe(App, new ResourceVector(0.9, 1e9, 1e12));

        Assert.Equal((0, 0), (t.AboveSteps, t.BelowSteps));
    }

    [Fact]
    public void Observe_AboveUpper_CountsConsecutiveAndResets()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0.3, 0, 60));

        Assert.Equal(1, Step(tracker, new ResourceVector(0.9, 0, 60)).AboveSteps);
        Assert.Equal(2, Step(tracker, new ResourceVector(0.9, 0, 60)).AboveSteps);
        Assert.Equal(3, Step(tracker, new ResourceVector(0.6, 0, 60)).AboveSteps);
        Assert.Equal(0, Step(tracker, new ResourceVector(0.3, 0, 60)).AboveSteps);
        Assert.Equal(1, Step(tracker, new ResourceVector(0.9, 0, 60)).AboveSteps);
    }

    [Fact]
    public void Observe_AboveInOneResourceOnly_CountsAbove()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0.3, 0, 60));

        DemandTracking vram = Step(tracker, new ResourceVector(0.3, 0, 150));
        DemandTracking bandwidth = Step(tracker, new ResourceVector(0.3, 1e9, 60));

        Assert.Equal(1, vram.AboveSteps);
        Assert.Equal(2, bandwidth.AboveSteps);
    }

    [Fact]
    public void Observe_AtUpperExactly_NotAbove()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0.3, 0, 60));

        Assert.Equal(0, Step(tracker, High).AboveSteps);
    }

    [Fact]
    public void Observe_ComparesWithFirstHorizonStepOnly()
    {
        // h=2 says SM 1.0, h=1 says at most 0.5: 0.7 is above.
        var tracker = new DemandTracker();
        tracker.Observe(App, new ResourceVector(0.3, 0, 60));
        tracker.Remember(Band(Low, High, later: new ResourceVector(1.0, 0, 1000)));

        Assert.Equal(1, tracker.Observe(App, new ResourceVector(0.7, 0, 60)).AboveSteps);
    }

    [Fact]
    public void Observe_EveryUsedResourceBelowLower_CountsBelowAndResets()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0.3, 0, 60));

        // Bandwidth is neither forecast nor used, so it does not keep the step from being below.
        Assert.Equal(1, Step(tracker, new ResourceVector(0.1, 0, 10)).BelowSteps);
        Assert.Equal(2, Step(tracker, new ResourceVector(0.1, 0, 10)).BelowSteps);
        Assert.Equal(0, Step(tracker, new ResourceVector(0.3, 0, 10)).BelowSteps);
    }

    [Fact]
    public void Observe_OneResourceWithinBand_NotBelow()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0.3, 0, 60));

        Assert.Equal(0, Step(tracker, new ResourceVector(0.1, 0, 60)).BelowSteps);
    }

    [Fact]
    public void Observe_NothingForecastNothingUsed_NotBelow()
    {
        var tracker = new DemandTracker();
        tracker.Observe(App, ResourceVector.Zero);
        tracker.Remember(Band(ResourceVector.Zero, ResourceVector.Zero));

        DemandTracking t = tracker.Observe(App, ResourceVector.Zero);

        Assert.Equal((0, 0), (t.AboveSteps, t.BelowSteps));
    }

    [Fact]
    public void Observe_NoActivityNoGrowth_CountsIdleAndResetsOnActivity()
    {
        var tracker = new DemandTracker();

        Assert.Equal(0, Step(tracker, new ResourceVector(0, 0, 60)).IdleSteps);
        Assert.Equal(1, Step(tracker, new ResourceVector(0, 0, 60)).IdleSteps);
        Assert.Equal(2, Step(tracker, new ResourceVector(0, 0, 40)).IdleSteps);
        Assert.Equal(0, Step(tracker, new ResourceVector(0.1, 0, 40)).IdleSteps);
        Assert.Equal(1, Step(tracker, new ResourceVector(0, 0, 40)).IdleSteps);
        Assert.Equal(0, Step(tracker, new ResourceVector(0, 1e6, 40)).IdleSteps);
        Assert.Equal(1, Step(tracker, new ResourceVector(0, 0, 40)).IdleSteps);
        Assert.Equal(0, Step(tracker, new ResourceVector(0, 0, 41)).IdleSteps);
    }

    [Fact]
    public void Forget_DropsState()
    {
        var tracker = new DemandTracker();
        Step(tracker, new ResourceVector(0, 0, 0));
        Step(tracker, new ResourceVector(0, 0, 0));
        Assert.Equal(1, tracker.Observe(App, new ResourceVector(0.9, 0, 0)).AboveSteps);
        tracker.Remember(Band(Low, High));

        tracker.Forget(App);
        DemandTracking t = tracker.Observe(App, new ResourceVector(0.9, 0, 0));

        Assert.Equal(DemandTracking.Fresh, t);
    }

    [Fact]
    public void Observe_AppsTrackedSeparately()
    {
        var tracker = new DemandTracker();
        var other = new AppId(43, 7);
        Step(tracker, new ResourceVector(0.3, 0, 60));

        Assert.Equal(1, Step(tracker, new ResourceVector(0.9, 0, 60)).AboveSteps);
        Assert.Equal(0, tracker.Observe(other, new ResourceVector(0.9, 0, 60)).AboveSteps);
    }

    [Theory]
    [InlineData(0.0, 0.99)]
    [InlineData(-0.1, 0.99)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.9, 0.5)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.1, 1.5)]
    public void Constructor_BadLevels_Throws(double lower, double upper) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemandTracker(lower, upper));

    [Fact]
    public void Constructor_Defaults()
    {
        var tracker = new DemandTracker();

        Assert.Equal((0.1, 0.99), (tracker.LowerLevel, tracker.UpperLevel));
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class AutopilotForecasterTests
{
    private static readonly AppId App = new(40, 1);
    private static readonly double[] Levels = [0.15, 0.5, 0.99];

    /// <summary>Upper end of SM bucket n: 0.001·(1.05^(n+1) − 1)/0.05.</summary>
    private static double SmUpper(int n) => 0.02 * (Math.Pow(1.05, n + 1) - 1);

    /// <summary>Upper end of VRAM bucket n: 1e7·(1.05^(n+1) − 1)/0.05.</summary>
    private static double VramUpper(int n) => 2e8 * (Math.Pow(1.05, n + 1) - 1);

    private static AutopilotForecaster Feed(AutopilotRecommender recommender, AutopilotParameters p, IEnumerable<ResourceVector> demand)
    {
        var f = new AutopilotForecaster(recommender, 2, Levels, p);
        long step = 0;
        foreach (ResourceVector d in demand)
        {
            f.Observe(App, step++, d);
        }

        return f;
    }

    // One spike of SM 0.8 at step 0, then 0.1. The window holds the current interval and the ones
    // before it, `intervals` in all, so step 0 leaves it once the current interval is `intervals`:
    //   1-step intervals, window 10: steps 0..9 hold it; at step 10 it is gone.
    //   5-step intervals, window 2: intervals 0..1 (steps 0..9) hold it; step 10 opens interval 2.
    // Held: 0.8 × 1.1 = 0.88 at every level; gone: 0.1 × 1.1 = 0.11.
    [Theory]
    [InlineData(1, 10, 10, 0.88)]
    [InlineData(1, 10, 11, 0.11)]
    [InlineData(5, 2, 10, 0.88)]
    [InlineData(5, 2, 11, 0.11)]
    public void PeakPredict_SingleSpike_HeldUntilItLeavesTheWindow(long interval, int intervals, int steps, double expected)
    {
        var p = new AutopilotParameters { AggregationIntervalSteps = interval, WindowIntervals = intervals };
        IEnumerable<ResourceVector> demand = Enumerable.Range(0, steps).Select(t => new ResourceVector(t == 0 ? 0.8 : 0.1, 0, 0));

        Forecast forecast = Feed(AutopilotRecommender.Peak, p, demand).Predict(App);

        for (int q = 0; q < Levels.Length; q++)
        {
            Assert.Equal(expected, forecast.Get(1, q, Resource.Sm), 12);
        }
    }

    [Fact]
    public void PercentilePredict_ConstantDemand_LimitIsBucketEndTimesMargin()
    {
        // Constant SM 0.5: every sample in bucket 66 (end 0.50567). Levels below j = 0.95 get that
        // percentile (0.50567); the top level gets the recommendation 0.50567 × 1.1 = 0.55624.
        Forecast forecast = Feed(AutopilotRecommender.Percentile, new AutopilotParameters(), Enumerable.Repeat(new ResourceVector(0.5, 0, 0), 50)).Predict(App);

        Assert.Equal(SmUpper(66), forecast.Get(0, 0, Resource.Sm), 12);
        Assert.Equal(SmUpper(66), forecast.Get(0, 1, Resource.Sm), 12);
        Assert.Equal(SmUpper(66) * 1.1, forecast.Get(0, 2, Resource.Sm), 12);
    }

    // SM 0.1 at step 0 then 0.5 at step 1, 1-step intervals, window 2, margin 0. Load-adjusted
    // weights: b[k] × decay. 0.1 -> bucket 36, b = 0.10163; 0.5 -> bucket 66, b = 0.50567.
    //   half-life 1 step: the old sample counts 0.5 -> h = [0.05081, 0.50567], p15 threshold
    //     0.15 × 0.55648 = 0.08347 > 0.05081 -> p15 = 0.50567 (bucket 66)
    //   half-life 10^6 steps (no decay): h = [0.10163, 0.50567], threshold 0.15 × 0.6073 = 0.0911
    //     ≤ 0.10163 -> p15 = 0.10163 (bucket 36)
    [Theory]
    [InlineData(1, 66)]
    [InlineData(1_000_000, 36)]
    public void PercentilePredict_DecayHalvesTheOlderSample_MovesTheLowPercentile(long halfLife, int expectedBucket)
    {
        var p = new AutopilotParameters { AggregationIntervalSteps = 1, WindowIntervals = 2, HalfLifeSteps = halfLife, SafetyMargin = 0 };
        ResourceVector[] demand = [new(0.1, 0, 0), new(0.5, 0, 0)];

        Forecast forecast = Feed(AutopilotRecommender.Percentile, p, demand).Predict(App);

        Assert.Equal(SmUpper(expectedBucket), forecast.Get(0, 0, Resource.Sm), 12);
    }

    [Fact]
    public void PercentilePredict_Vram_OnePeakPerInterval()
    {
        // 2-step intervals: [1e9, 3e9] -> peak 3e9 (bucket 56, b = 3.0272e9); [1e9, 1e9] -> peak 1e9
        // (bucket 36, b = 1.0163e9). Load-adjusted total 4.0434e9; p15 threshold 0.6065e9 ≤ 1.0163e9
        // -> bucket 36; p50 threshold 2.0217e9 > 1.0163e9 -> bucket 56. Had every step counted, the
        // three 1e9 samples (3.0488e9) would have put p50 in bucket 36 as well.
        var p = new AutopilotParameters { AggregationIntervalSteps = 2, WindowIntervals = 3, HalfLifeSteps = 1_000_000, SafetyMargin = 0 };
        ResourceVector[] demand = [new(0, 0, 1e9), new(0, 0, 3e9), new(0, 0, 1e9), new(0, 0, 1e9)];

        Forecast forecast = Feed(AutopilotRecommender.Percentile, p, demand).Predict(App);

        Assert.Equal(VramUpper(36), forecast.Get(0, 0, Resource.Vram), 1);
        Assert.Equal(VramUpper(56), forecast.Get(0, 1, Resource.Vram), 1);
    }

    [Fact]
    public void Load_SavedPercentileForecaster_KeepsRecommenderAndParameters()
    {
        var p = new AutopilotParameters { WindowIntervals = 7, VramPercentile = 1.0 };
        using var buffer = new MemoryStream();
        new AutopilotForecaster(AutopilotRecommender.Percentile, 2, Levels, p).Save(buffer);
        buffer.Position = 0;

        var loaded = Assert.IsType<AutopilotForecaster>(Forecasters.Load(buffer));

        Assert.Equal(AutopilotForecaster.PercentilePolicyName, loaded.Name);
        Assert.Equal(p, loaded.Parameters);
    }
}

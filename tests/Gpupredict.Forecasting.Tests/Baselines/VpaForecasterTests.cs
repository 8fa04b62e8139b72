using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class VpaForecasterTests
{
    private static readonly AppId App = new(30, 1);

    // Levels 0.5 -> lower bound (p50), 0.9 -> target (p90), 0.95 -> upper bound (p95).
    private static readonly double[] Levels = [0.5, 0.9, 0.95];
    private static readonly VpaParameters NoConfidence = new() { ConfidenceMultipliers = false };

    /// <summary>Upper end of VRAM bucket n (first 1e7, ratio 1.05): 1e7·(1.05^(n+1) − 1)/0.05.</summary>
    private static double VramUpper(int n) => 2e8 * (Math.Pow(1.05, n + 1) - 1);

    private static VpaForecaster Run(VpaParameters parameters, params (long Step, ResourceVector Demand)[] samples)
    {
        var f = new VpaForecaster(1, Levels, parameters);
        foreach ((long step, ResourceVector demand) in samples)
        {
            f.Observe(App, step, demand);
        }

        return f;
    }

    private static (long, ResourceVector)[] Constant(int steps, ResourceVector demand) =>
        [.. Enumerable.Range(0, steps).Select(t => ((long)t, demand))];

    [Fact]
    public void Predict_ConstantDemand_BucketEndTimesSafetyMargin()
    {
        // Every percentile of a one-bucket histogram is that bucket's upper end; then × 1.15.
        //   SM 0.5  -> bucket 66 (log 26/log 1.05 = 66.8), end 0.02·(1.05^67 − 1) = 0.50567 -> 0.58152
        //   BW 2e9  -> bucket 94 (log(2e9·0.05/1e6 + 1)/log 1.05 = 94.6), end 2e7·(1.05^95 − 1) = 2.0407e9 -> 2.3468e9
        //   VRAM 4e9 (one peak) -> bucket 62 (log 21/log 1.05 = 62.4), end 2e8·(1.05^63 − 1) = 4.1247e9 -> 4.7434e9
        Forecast forecast = Run(NoConfidence, Constant(100, new ResourceVector(0.5, 2e9, 4e9))).Predict(App);

        for (int q = 0; q < Levels.Length; q++)
        {
            Assert.Equal(0.02 * (Math.Pow(1.05, 67) - 1) * 1.15, forecast.Get(0, q, Resource.Sm), 12);
            Assert.Equal(2e7 * (Math.Pow(1.05, 95) - 1) * 1.15, forecast.Get(0, q, Resource.MemoryBandwidth), 1);
            Assert.Equal(VramUpper(62) * 1.15, forecast.Get(0, q, Resource.Vram), 1);
        }
    }

    [Fact]
    public void Predict_HalfADayOfHistory_ConfidenceMultipliersOnTheBounds()
    {
        // 720 steps (0..719) of a 1440-step day: span 719/1440, count 720/1440 -> confidence c = 719/1440.
        // Upper × (1 + 1/c) = × 2159/719 = × 3.0028; lower × (1 + 0.001/c)^−2 = × 0.99601; target untouched.
        Forecast forecast = Run(new VpaParameters(), Constant(720, new ResourceVector(0.5, 2e9, 4e9))).Predict(App);
        double bw = 2e7 * (Math.Pow(1.05, 95) - 1) * 1.15;
        double c = 719.0 / 1440;

        Assert.Equal(bw * Math.Pow(1 + (0.001 / c), -2), forecast.Get(0, 0, Resource.MemoryBandwidth), 1);
        Assert.Equal(bw, forecast.Get(0, 1, Resource.MemoryBandwidth), 1);
        Assert.Equal(bw * (1 + (1 / c)), forecast.Get(0, 2, Resource.MemoryBandwidth), 1);
        // SM's upper bound 0.5815 × 3.0028 = 1.75 is clamped to the range: 1.
        Assert.Equal(1.0, forecast.Get(0, 2, Resource.Sm));
    }

    [Fact]
    public void Observe_RisingVramWithinInterval_KeepsOnlyThePeak()
    {
        // Interval of 10 steps: 1e9, 1.1e9, 1.05e9 in steps 0..2 (1.1e9 stays under the upper bound
        // 1.1687e9, so no OOM) leave one peak, 1.1e9: 1e9 was subtracted when 1.1e9 replaced it.
        // So even the lower bound (p50) is 1.1e9's bucket 38 (log 6.5/log 1.05 = 38.4) end,
        // 2e8·(1.05^39 − 1) = 1.1408e9, × 1.15; had 1e9 stayed, p50 would be bucket 36's end.
        VpaParameters p = NoConfidence with { MemoryAggregationIntervalSteps = 10 };
        Forecast forecast = Run(p, (0, new(0, 0, 1e9)), (1, new(0, 0, 1.1e9)), (2, new(0, 0, 1.05e9))).Predict(App);

        Assert.Equal(VramUpper(38) * 1.15, forecast.Get(0, 0, Resource.Vram), 1);
    }

    [Fact]
    public void Observe_NextInterval_AddsASecondPeak()
    {
        // Peaks 3e9 (interval ending at step 10, weight 2^(10/1440) = 1.00483) and 1e9 (ending at 20,
        // weight 2^(20/1440) = 1.00967). p50: threshold 0.5·2.0145 = 1.0073 is reached in 1e9's
        // bucket 36 (1.00967 ≥ 1.0073) -> end 2e8·(1.05^37 − 1) = 1.0163e9; p90 lands in 3e9's bucket 56.
        VpaParameters p = NoConfidence with { MemoryAggregationIntervalSteps = 10 };
        Forecast forecast = Run(p, (0, new(0, 0, 3e9)), (10, new(0, 0, 1e9))).Predict(App);

        Assert.Equal(VramUpper(36) * 1.15, forecast.Get(0, 0, Resource.Vram), 1);
        Assert.Equal(VramUpper(56) * 1.15, forecast.Get(0, 1, Resource.Vram), 1);
    }

    // Five steps at `before`, then `spike`. The upper bound before the spike is before's bucket end × 1.15:
    //   2e8 -> bucket 14, end 2.1579e8 -> 2.4815e8;  2e9 -> bucket 49, end 2.0935e9 -> 2.4075e9.
    // A spike above it is an OOM: needed = max(spike + 100 MiB, spike × 1.2):
    //   4e8 -> max(4e8 + 104 857 600, 4.8e8) = 504 857 600 (the +100 MiB branch): bucket 25
    //   3e9 -> max(3.1049e9, 3.6e9) = 3.6e9 (the ×1.2 branch): bucket 60
    // A spike below it (2.2e9 < 2.4075e9) is just a new peak: bucket 50.
    [Theory]
    [InlineData(2e8, 4e8, 25)]
    [InlineData(2e9, 3e9, 60)]
    [InlineData(2e9, 2.2e9, 50)]
    public void Observe_VramAboveUpperBound_OomBump(double before, double spike, int expectedBucket)
    {
        (long, ResourceVector)[] samples = [.. Constant(5, new ResourceVector(0, 0, before)), (5, new ResourceVector(0, 0, spike))];

        Forecast forecast = Run(NoConfidence, samples).Predict(App);

        Assert.Equal(VramUpper(expectedBucket) * 1.15, forecast.Get(0, 1, Resource.Vram), 1);
    }

    [Fact]
    public void Load_SavedParameters_RoundTrip()
    {
        VpaParameters p = new() { HalfLifeSteps = 77, SafetyMargin = 0.3, ConfidenceMultipliers = false };
        using var buffer = new MemoryStream();
        new VpaForecaster(3, Levels, p).Save(buffer);
        buffer.Position = 0;

        var loaded = Assert.IsType<VpaForecaster>(Forecasters.Load(buffer));

        Assert.Equal(p, loaded.Parameters);
        Assert.Equal(3, loaded.Horizon);
    }

    [Fact]
    public void Create_BadParameters_NamesTheField()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new VpaForecaster(1, Levels, new VpaParameters { TargetPercentile = 0.99 }));
        Assert.Contains("lower ≤ target ≤ upper", e.Message, StringComparison.Ordinal);
    }
}

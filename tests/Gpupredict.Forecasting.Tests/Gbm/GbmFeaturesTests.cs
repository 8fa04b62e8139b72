using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Gbm;

namespace Gpupredict.Forecasting.Tests.Gbm;

public class GbmFeaturesTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(3, new[] { 1, 3 })]
    [InlineData(5, new[] { 1, 5 })]
    [InlineData(12, new[] { 1, 5, 12 })]
    public void Anchors_For_OneFiveAndHorizon(int horizon, int[] expected) =>
        Assert.Equal(expected, GbmAnchors.For(horizon));

    [Theory]
    [InlineData(1, 10.0)]
    [InlineData(3, 15.0)] // halfway from step 1 (10) to step 5 (20)
    [InlineData(5, 20.0)]
    [InlineData(6, 30.0)] // halfway from step 5 (20) to step 7 (40)
    [InlineData(7, 40.0)]
    public void Anchors_Interpolate_Linear(int step, double expected) =>
        Assert.Equal(expected, GbmAnchors.Interpolate([1, 5, 7], [10.0, 20.0, 40.0], step), 12);

    [Fact]
    public void WriteFeatures_KnownSmHistory_LagsStatsDeltaAndBurst()
    {
        // SM 0.0, 0.1, …, 1.1 capped: steps 0..11 with SM = min(1, step/10); the newest is step 11 (1.0).
        var history = new GbmHistory();
        for (int step = 0; step < 12; step++)
        {
            history.Push(step, new ResourceVector(Math.Min(1, step / 10.0), 0, Math.E - 1));
        }

        double[] f = new double[GbmFeatures.Count];
        history.WriteFeatures(f);

        // Lags 1, 2, 3, 5, 10 = steps 11, 10, 9, 7, 2.
        Assert.Equal([1.0, 1.0, 0.9, 0.7, 0.2], f[..5].Select(v => Math.Round(v, 12)));

        // Window 10 = steps 2..11: 0.2..0.9, 1, 1 -> mean (4.4 + 2) / 10 = 0.64, max 1.
        Assert.Equal(0.64, f[5], 12);
        Assert.Equal(1.0, f[6], 12);

        // Window 50 holds all 12 steps: (4.5 + 2) / 12.
        Assert.Equal(6.5 / 12, f[8], 12);

        // Delta: step 11 minus step 10 = 0.
        Assert.Equal(0.0, f[11], 12);

        // VRAM log1p(e - 1) = 1 at every lag.
        Assert.Equal(1.0, f[(2 * GbmFeatures.PerResource) + 0], 12);

        // Bursts (> 0.5) at steps 6..11: the newest is one.
        Assert.Equal(0.0, f[^(GbmFeatures.ActivityCount + 1)]);
    }

    [Fact]
    public void WriteFeatures_NoBurstYet_Capped()
    {
        var history = new GbmHistory();
        history.Push(0, new ResourceVector(0.1, 0, 0));
        double[] f = new double[GbmFeatures.Count];

        history.WriteFeatures(f);

        Assert.Equal(GbmFeatures.BurstCap, f[^(GbmFeatures.ActivityCount + 1)]);
        Assert.Equal(0.1, f[0 + 4], 12); // lag 10 falls back to the oldest held step
    }

    [Theory]
    [InlineData(Resource.Sm, 0.25, 0.25)]
    [InlineData(Resource.Vram, 0.0, 0.0)]
    [InlineData(Resource.MemoryBandwidth, 1e9, 1e9)]
    public void Normalise_Denormalise_RoundTrip(Resource resource, double value, double expected) =>
        Assert.Equal(expected, GbmFeatures.Denormalise(resource, GbmFeatures.Normalise(resource, value)), 3);

    [Fact]
    public void Sample_MoreThanMax_KeepsMaxDeterministically()
    {
        bool[] a = GbmTrainer.Sample(1000, 100, 5, out int kept);
        bool[] b = GbmTrainer.Sample(1000, 100, 5, out _);

        Assert.Equal(100, kept);
        Assert.Equal(100, a.Count(k => k));
        Assert.Equal(a, b);
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Conformal;

namespace Gpupredict.Forecasting.Tests.Conformal;

public class ConformalQuantileForecasterTests
{
    private static readonly double[] Levels = [0.01, 0.1, 0.5, 0.9, 0.99];

    /// <summary>SM = 0.5 + Gaussian noise of the given spread (clamped to 0..1), from a seed.</summary>
    private static DemandSeries Noise(int pid, int steps, double sigma, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            sm[i] = Math.Clamp(0.5 + (sigma * z), 0, 1);
        }

        return new DemandSeries(new AppId(pid, 1), $"noise{pid}", 0, sm, new double[steps], new double[steps], ObservedSignals.SmFromGpuIntervals);
    }

    /// <summary>Share of steps whose SM value fell inside the one-step-ahead interval of pair (lo, hi).</summary>
    private static double Coverage(IForecaster f, DemandSeries s, int lo, int hi, int skip)
    {
        int inside = 0, scored = 0;
        Forecast? previous = null;
        for (int t = 0; t < s.Count; t++)
        {
            if (previous is not null && t >= skip)
            {
                double y = s[t].SmFraction;
                inside += y >= previous.Get(0, lo, Resource.Sm) && y <= previous.Get(0, hi, Resource.Sm) ? 1 : 0;
                scored++;
            }

            f.Observe(s.App, t, s[t]);
            previous = f.Predict(s.App);
        }

        return (double)inside / scored;
    }

    [Fact]
    public void Fit_NarrowInner_HeldOutCoverageNearNominal()
    {
        // The inner's 80 % interval is 0.49..0.51 against noise of sigma 0.1: it covers about 8 %.
        var inner = new NarrowForecaster(1, Levels);
        Assert.InRange(Coverage(inner, Noise(9, 3000, 0.1, 2), 1, 3, 0), 0.0, 0.2);

        var f = new ConformalQuantileForecaster(new NarrowForecaster(1, Levels), gamma: 0);
        f.Fit([Noise(1, 4000, 0.1, 1)], seed: 1);

        Assert.InRange(Coverage(f, Noise(2, 3000, 0.1, 2), 1, 3, 0), 0.77, 0.83);
        Assert.InRange(Coverage(f, Noise(3, 3000, 0.1, 3), 0, 4, 0), 0.96, 1.0);
    }

    [Fact]
    public void Fit_ManySeries_InnerFittedOnSomeApplicationsWholeAndCalibratedOnTheOthers()
    {
        var inner = new NarrowForecaster(1, Levels);
        var f = new ConformalQuantileForecaster(inner, calibrationFraction: 0.3, gamma: 0);
        DemandSeries[] training = [.. Enumerable.Range(1, 10).Select(i => Noise(i, 500 + i, 0.1, i))];

        f.Fit(training, seed: 4);

        // ceil(10 × 0.3) = 3 applications held out whole; the other 7 fitted whole.
        Assert.True(f.CalibratedOnApplications);
        Assert.Equal(7, inner.Fitted.Count);
        Assert.All(inner.Fitted, s => Assert.Equal(training.Single(t => t.App == s.App).Count, s.Count));

        // Calibrated on unseen applications, the intervals hold on the next unseen one.
        Assert.InRange(Coverage(f, Noise(99, 3000, 0.1, 99), 1, 3, 0), 0.76, 0.84);
        Assert.InRange(Coverage(f, Noise(98, 3000, 0.1, 98), 0, 4, 0), 0.96, 1.0);
    }

    [Fact]
    public void Fit_FewSeries_CalibratesOnTheTailOfEach()
    {
        var inner = new NarrowForecaster(1, Levels);
        var f = new ConformalQuantileForecaster(inner, calibrationFraction: 0.3, gamma: 0);

        f.Fit([Noise(1, 1000, 0.1, 1), Noise(2, 1000, 0.1, 2)], seed: 4);

        Assert.False(f.CalibratedOnApplications);
        Assert.All(inner.Fitted, s => Assert.Equal(700, s.Count));
    }

    [Fact]
    public void Observe_DriftToWiderNoise_AdaptiveStepRestoresCoverage()
    {
        // Calibrated on sigma 0.05, run on sigma 0.15: the split intervals cover far less than 80 %.
        var split = new ConformalQuantileForecaster(new NarrowForecaster(1, Levels), gamma: 0);
        var adaptive = new ConformalQuantileForecaster(new NarrowForecaster(1, Levels), gamma: 0.02);
        split.Fit([Noise(1, 4000, 0.05, 1)], seed: 1);
        adaptive.Fit([Noise(1, 4000, 0.05, 1)], seed: 1);
        DemandSeries drifted = Noise(2, 6000, 0.15, 5);

        double fixedCoverage = Coverage(split, drifted, 1, 3, 2000);
        double adaptiveCoverage = Coverage(adaptive, drifted, 1, 3, 2000);

        Assert.True(fixedCoverage < 0.6, $"split-only coverage {fixedCoverage}");
        Assert.InRange(adaptiveCoverage, 0.76, 0.84);
    }

    [Fact]
    public void Correction_NineScores_FiniteSampleRank()
    {
        // Scores 1..9: alpha 0.2 -> rank ceil(10 x 0.8) = 8 -> 8; alpha 0.05 -> rank 10 > 9 -> the max, 9;
        // alpha 1 -> the smallest, 1.
        var scores = new CalibrationScores(1, 1);
        for (int i = 9; i >= 1; i--)
        {
            scores.Add(0, i);
        }

        scores.Seal();

        Assert.Equal(8, scores.Correction(0, 0.2));
        Assert.Equal(9, scores.Correction(0, 0.05));
        Assert.Equal(1, scores.Correction(0, 1));
    }

    [Fact]
    public void Constructor_AsymmetricLevels_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConformalQuantileForecaster(new NarrowForecaster(1, [0.1, 0.5, 0.8])));
        Assert.Contains("0.1 pairs with 0.8", e.Message, StringComparison.Ordinal);
    }
}

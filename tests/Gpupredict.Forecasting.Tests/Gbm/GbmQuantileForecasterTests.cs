using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Gbm;

namespace Gpupredict.Forecasting.Tests.Gbm;

public class GbmQuantileForecasterTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private const int Horizon = 7;

    // A small budget keeps the tests fast; the defaults are for real training sets.
    private static readonly GbmOptions Small = new() { Rounds = 40, MaxRows = 1500 };

    private static GbmQuantileForecaster Fitted(int seed, GbmOptions? options = null)
    {
        var f = new GbmQuantileForecaster(Horizon, Levels, options ?? Small);
        f.Fit([GbmTestSeries.PeriodicBursts(100, 1000, seed), GbmTestSeries.PeriodicBursts(101, 1000, seed + 1)], seed);
        return f;
    }

    /// <summary>Mean pinball loss of SM over every level and step, at held-out origins 60, 63, ….</summary>
    private static double SmPinball(IForecaster f, DemandSeries s)
    {
        double loss = 0;
        int n = 0;
        ReadOnlySpan<double> sm = s.Values(Resource.Sm);
        for (int t = 0; t < s.Count - f.Horizon; t++)
        {
            f.Observe(s.App, t, s[t]);
            if (t < 60 || t % 3 != 0)
            {
                continue;
            }

            Forecast forecast = f.Predict(s.App);
            for (int h = 0; h < f.Horizon; h++)
            {
                for (int q = 0; q < forecast.Levels.Length; q++)
                {
                    double level = forecast.Levels[q];
                    double error = sm[t + 1 + h] - forecast.Get(h, q, Resource.Sm);
                    loss += Math.Max(level * error, (level - 1) * error);
                    n++;
                }
            }
        }

        return loss / n;
    }

    [Fact]
    public void Predict_PeriodicBursts_BeatsLastValuePinball()
    {
        DemandSeries heldOut = GbmTestSeries.PeriodicBursts(7, 500, 99);

        double gbm = SmPinball(Fitted(1), heldOut);
        double last = SmPinball(new LastValueForecaster(Horizon, Levels), heldOut);

        // Persistence misses every burst start and end; the bursts are periodic, so the
        // steps-since-burst feature predicts them. Expect far better, not just better.
        Assert.True(gbm < 0.6 * last, $"gbm pinball {gbm:F4} vs last-value {last:F4}");
    }

    [Fact]
    public void Predict_SameSeedSubsampled_SameForecast()
    {
        var options = Small with { MaxRows = 400 };
        DemandSeries s = GbmTestSeries.PeriodicBursts(3, 120, 5);
        GbmQuantileForecaster a = Fitted(4, options), b = Fitted(4, options);
        for (int t = 0; t < s.Count; t++)
        {
            a.Observe(s.App, t, s[t]);
            b.Observe(s.App, t, s[t]);
        }

        AssertSame(a.Predict(s.App), b.Predict(s.App));
    }

    [Fact]
    public void Load_Saved_PredictsTheSame()
    {
        GbmQuantileForecaster original = Fitted(2);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;
        (string policy, ushort version, BinaryReader reader) = Gpupredict.Forecasting.Persistence.ForecasterFile.Open(buffer);
        GbmQuantileForecaster loaded = GbmQuantileForecaster.Load(reader, policy, version);
        DemandSeries s = GbmTestSeries.PeriodicBursts(4, 90, 8);
        for (int t = 0; t < s.Count; t++)
        {
            original.Observe(s.App, t, s[t]);
            loaded.Observe(s.App, t, s[t]);
        }

        Assert.Equal(GbmQuantileForecaster.PolicyName, policy);
        Assert.True(loaded.IsFitted);
        Assert.Equal(original.Options, loaded.Options);
        AssertSame(original.Predict(s.App), loaded.Predict(s.App));
    }

    [Fact]
    public void Fit_TooLittleData_ForecastsLastValue()
    {
        var f = new GbmQuantileForecaster(Horizon, Levels, Small);
        f.Fit([GbmTestSeries.PeriodicBursts(1, 20, 1)], 0);
        DemandSeries s = GbmTestSeries.PeriodicBursts(2, 3, 2);
        for (int t = 0; t < s.Count; t++)
        {
            f.Observe(s.App, t, s[t]);
        }

        Forecast forecast = f.Predict(s.App);

        Assert.False(f.IsFitted);
        Assert.Equal(s[2].SmFraction, forecast.Get(Horizon - 1, 0, Resource.Sm), 12);
        Assert.Equal(s[2].VramBytes, forecast.Get(0, 2, Resource.Vram), 3);
    }

    private static void AssertSame(Forecast a, Forecast b)
    {
        for (int h = 0; h < a.Horizon; h++)
        {
            for (int q = 0; q < a.Levels.Length; q++)
            {
                foreach (Resource r in Resources.All)
                {
                    Assert.Equal(a.Get(h, q, r), b.Get(h, q, r));
                }
            }
        }
    }
}

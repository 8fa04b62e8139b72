using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests;

/// <summary>
/// The contract every forecaster in the registry passes: fit then predict has the promised shape,
/// quantiles never cross (Forecast validates that), the same seed and input give the same answer,
/// a save and load give the same answer, and applications are independent.
/// </summary>
public class ForecasterContractTests
{
    private static readonly double[] Levels = [0.01, 0.1, 0.5, 0.9, 0.99];
    private const int Horizon = 7;

    public static TheoryData<string> Names() => new(Forecasters.Names);

    /// <summary>Bursty SM, a slow VRAM ramp with drops, copy bandwidth in bursts: deterministic from the seed.</summary>
    private static DemandSeries Series(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        var bw = new double[steps];
        var vram = new double[steps];
        double held = 1e9;
        for (int i = 0; i < steps; i++)
        {
            sm[i] = i % 20 < 5 ? 0.9 * rng.NextDouble() : 0.1 * rng.NextDouble();
            bw[i] = i % 20 == 0 ? 5e9 * rng.NextDouble() : 0;
            held = i % 100 == 99 ? 1e9 : held + (rng.NextDouble() * 1e7);
            vram[i] = held;
        }

        return new DemandSeries(new AppId(pid, 1), $"app{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals);
    }

    private static IForecaster Fitted(string name, int seed)
    {
        IForecaster f = Forecasters.Create(name, Horizon, Levels);
        f.Fit([Series(100, 400, seed), Series(101, 400, seed + 1)], seed);
        return f;
    }

    private static Forecast Stream(IForecaster f, DemandSeries s)
    {
        for (int t = 0; t < s.Count; t++)
        {
            f.Observe(s.App, t, s[t]);
        }

        return f.Predict(s.App);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Predict_AfterFit_HasHorizonLevelsAndRanges(string name)
    {
        IForecaster f = Fitted(name, 1);
        Forecast forecast = Stream(f, Series(1, 300, 5));

        Assert.Equal(name, f.Name);
        Assert.Equal(Horizon, forecast.Horizon);
        Assert.Equal(Levels, forecast.Levels.ToArray());
        Assert.Equal(299, forecast.OriginStep);
        for (int h = 0; h < Horizon; h++)
        {
            for (int q = 0; q < Levels.Length; q++)
            {
                double sm = forecast.Get(h, q, Resource.Sm);
                Assert.InRange(sm, 0, 1);
                Assert.True(forecast.Get(h, q, Resource.Vram) >= 0);
                Assert.True(forecast.Get(h, q, Resource.MemoryBandwidth) >= 0);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Predict_SameSeedAndInput_SameForecast(string name)
    {
        Forecast a = Stream(Fitted(name, 7), Series(1, 250, 3));
        Forecast b = Stream(Fitted(name, 7), Series(1, 250, 3));

        AssertSame(a, b);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_SavedForecaster_PredictsTheSame(string name)
    {
        IForecaster original = Fitted(name, 11);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;
        IForecaster loaded = Forecasters.Load(buffer);

        Assert.Equal(name, loaded.Name);
        AssertSame(Stream(original, Series(2, 200, 9)), Stream(loaded, Series(2, 200, 9)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Predict_TwoApps_IndependentOfEachOther(string name)
    {
        IForecaster together = Fitted(name, 3);
        IForecaster alone = Fitted(name, 3);
        DemandSeries a = Series(1, 150, 21), b = Series(2, 150, 22);
        for (int t = 0; t < 150; t++)
        {
            together.Observe(a.App, t, a[t]);
            together.Observe(b.App, t, b[t]);
            alone.Observe(a.App, t, a[t]);
        }

        AssertSame(together.Predict(a.App), alone.Predict(a.App));
        together.Forget(b.App);
        Assert.Throws<InvalidOperationException>(() => together.Predict(b.App));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_BatchOfThreeApps_SameAsObserveThenPredict(string name)
    {
        // The tick's path (one batch per step for every application) must give what Observe then
        // Predict, every step for each application, gives (conformal forecasters learn from their predictions).
        IForecaster batched = Fitted(name, 13), single = Fitted(name, 13);
        DemandSeries[] apps = [Series(1, 120, 31), Series(2, 120, 32), Series(3, 120, 33)];
        var batch = new ForecastBatch(Horizon, Levels);
        var expected = new Forecast[apps.Length];
        for (int t = 0; t < 120; t++)
        {
            batch.Begin(t);
            for (int i = 0; i < apps.Length; i++)
            {
                batch.Add(apps[i].App, apps[i][t], []);
                single.Observe(apps[i].App, t, apps[i][t]);
                expected[i] = single.Predict(apps[i].App);
            }

            batched.Step(batch);
        }

        for (int i = 0; i < apps.Length; i++)
        {
            AssertSame(expected[i], batch.Forecast(i));
            Assert.Equal(expected[i].OriginStep, batch.Forecast(i).OriginStep);
        }
    }

    [Fact]
    public void Load_NotAForecaster_ClearError()
    {
        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream([1, 2, 3, 4, 5, 6])));
        Assert.Contains("not a saved forecaster", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Truncated_ClearError()
    {
        using var buffer = new MemoryStream();
        Forecasters.Create(Forecasters.Names[0], Horizon, Levels).Save(buffer);
        byte[] cut = buffer.ToArray()[..^4];
        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(cut)));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
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

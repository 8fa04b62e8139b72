using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests;

/// <summary>
/// The contract every forecaster in the registry passes, the comparison baselines (reactive-window,
/// the oracle) included: fit then predict has the promised shape, quantiles never cross (Forecast
/// validates that), the same seed and input give the same answer, a save and load give the same
/// answer (or a refusal saying why), applications are independent, and the tick's batch gives what
/// Observe then Predict give.
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

    /// <summary>The forecaster fitted from <paramref name="seed"/>; <paramref name="streamed"/> are the series the test will stream, which only the oracle reads (as a replay's recorded future).</summary>
    private static IForecaster Fitted(string name, int seed, params DemandSeries[] streamed)
    {
        var recorded = streamed.ToDictionary(s => s.App, s => new RecordedDemand(s, 0));
        IForecaster f = Forecasters.Catalog.Create(name, new ForecasterSpec(Horizon, Levels, recorded));
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
        DemandSeries series = Series(1, 300, 5);
        IForecaster f = Fitted(name, 1, series);
        Forecast forecast = Stream(f, series);

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
        DemandSeries series = Series(1, 250, 3);
        Forecast a = Stream(Fitted(name, 7, series), series);
        Forecast b = Stream(Fitted(name, 7, series), series);

        AssertSame(a, b);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_SavedForecaster_PredictsTheSame(string name)
    {
        DemandSeries series = Series(2, 200, 9);
        IForecaster original = Fitted(name, 11, series);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;
        if (!Forecasters.Catalog.IsLoadable(name, out string? why))
        {
            // A saved one that cannot work (the oracle has no future to read) is refused, saying why.
            var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(buffer));
            Assert.Contains(why!, e.Message, StringComparison.Ordinal);
            return;
        }

        IForecaster loaded = Forecasters.Load(buffer);

        Assert.Equal(name, loaded.Name);
        AssertSame(Stream(original, series), Stream(loaded, series));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Predict_TwoApps_IndependentOfEachOther(string name)
    {
        DemandSeries a = Series(1, 150, 21), b = Series(2, 150, 22);
        IForecaster together = Fitted(name, 3, a, b);
        IForecaster alone = Fitted(name, 3, a, b);
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
        DemandSeries[] apps = [Series(1, 120, 31), Series(2, 120, 32), Series(3, 120, 33)];
        IForecaster batched = Fitted(name, 13, apps), single = Fitted(name, 13, apps);
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

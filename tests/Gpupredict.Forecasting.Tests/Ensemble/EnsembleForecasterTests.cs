using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Ensemble;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests.Ensemble;

public class EnsembleForecasterTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private const int Horizon = 3;

    /// <summary>Noisy demand on every resource (so no forecaster is exact): deterministic from the seed.</summary>
    private static DemandSeries Noisy(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        var bw = new double[steps];
        var vram = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            sm[i] = (i % 10 < 3 ? 0.6 : 0.2) + (0.2 * rng.NextDouble());
            bw[i] = 1e9 * (1 + rng.NextDouble());
            vram[i] = 4e9 + (1e8 * rng.NextDouble());
        }

        return new DemandSeries(new AppId(pid, 1), $"app{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals);
    }

    /// <summary>Knows each series' future exactly (0 past its end).</summary>
    private static ScriptedForecaster Perfect(params DemandSeries[] known) => new("perfect", Horizon, Levels, (app, origin, h, r) =>
    {
        DemandSeries s = known.Single(k => k.App == app);
        long t = origin + 1 + h;
        return t < s.Count ? s[(int)t][r] : 0;
    });

    /// <summary>Forecasts the top of every range, far above the series.</summary>
    private static ScriptedForecaster Wrong() => new("wrong", Horizon, Levels, (_, _, _, r) => r == Resource.Sm ? 1 : 1e12);

    private static EwmaQuantileForecaster Ewma() => new(Horizon, Levels);

    [Fact]
    public void Predict_BeforeEvidence_IsEwmaBitForBit()
    {
        DemandSeries s = Noisy(1, 60, 1);
        var ensemble = new EnsembleForecaster([Ewma(), Perfect(s)]);
        EwmaQuantileForecaster ewma = Ewma();

        // Horizon step 0 has t points after step t: fewer than MinPoints (50) up to step 49.
        for (int t = 0; t < ensemble.Options.MinPoints; t++)
        {
            ensemble.Observe(s.App, t, s[t]);
            ewma.Observe(s.App, t, s[t]);
            AssertSame(ewma.Predict(s.App), ensemble.Predict(s.App));
            Assert.Equal(0, ensemble.Weight(s.App, 1, 0, Resource.Sm));
        }
    }

    [Fact]
    public void Predict_PerfectMember_TakesOverOnEvidence()
    {
        DemandSeries s = Noisy(1, 300, 2);
        var ensemble = new EnsembleForecaster([Ewma(), Perfect(s)]);
        EwmaQuantileForecaster ewma = Ewma();
        double ensembleLoss = 0, ewmaLoss = 0;
        for (int t = 0; t < s.Count - 1; t++)
        {
            ensemble.Observe(s.App, t, s[t]);
            ewma.Observe(s.App, t, s[t]);
            if (t >= 200)
            {
                ensembleLoss += Pinball(ensemble.Predict(s.App), s[t + 1][Resource.Sm]);
                ewmaLoss += Pinball(ewma.Predict(s.App), s[t + 1][Resource.Sm]);
            }
        }

        for (int h = 0; h < Horizon; h++)
        {
            foreach (Resource r in Resources.All)
            {
                Assert.True(ensemble.Weight(s.App, 1, h, r) > 0.99, $"h={h} {r}: weight {ensemble.Weight(s.App, 1, h, r)}");
            }
        }

        Assert.True(ensembleLoss < 0.05 * ewmaLoss, $"ensemble {ensembleLoss}, ewma {ewmaLoss}");
    }

    [Fact]
    public void Predict_WorseMember_NeverGetsWeight()
    {
        DemandSeries s = Noisy(1, 400, 3);
        var ensemble = new EnsembleForecaster([Ewma(), Wrong()]);
        EwmaQuantileForecaster ewma = Ewma();
        for (int t = 0; t < s.Count; t++)
        {
            ensemble.Observe(s.App, t, s[t]);
            ewma.Observe(s.App, t, s[t]);
            AssertSame(ewma.Predict(s.App), ensemble.Predict(s.App));
        }

        Assert.Equal(0, ensemble.Weight(s.App, 1, Horizon - 1, Resource.MemoryBandwidth));
    }

    [Fact]
    public void Predict_MemberNoBetterThanTheMargin_NeverGetsWeight()
    {
        // A second ewma is exactly as good as the anchor: 0 % better, short of the 2 % margin.
        DemandSeries s = Noisy(1, 300, 4);
        var ensemble = new EnsembleForecaster([Ewma(), Ewma()]);
        EwmaQuantileForecaster ewma = Ewma();
        for (int t = 0; t < s.Count; t++)
        {
            ensemble.Observe(s.App, t, s[t]);
            ewma.Observe(s.App, t, s[t]);
        }

        AssertSame(ewma.Predict(s.App), ensemble.Predict(s.App));
        Assert.Equal(1, ensemble.Weight(s.App, 0, 0, Resource.Sm));
    }

    [Fact]
    public void Weight_TwoApps_EachWeighedOnItsOwnEvidence()
    {
        // The member is perfect for a and far off for b: a moves to it, b stays on ewma, and each
        // application's forecasts are what an ensemble that saw it alone gives.
        DemandSeries a = Noisy(1, 200, 5), b = Noisy(2, 200, 6);
        ScriptedForecaster Split() => new("split", Horizon, Levels, (app, origin, h, r) =>
            app == a.App ? (origin + 1 + h < a.Count ? a[(int)(origin + 1 + h)][r] : 0) : (r == Resource.Sm ? 1 : 1e12));
        var together = new EnsembleForecaster([Ewma(), Split()]);
        var aloneA = new EnsembleForecaster([Ewma(), Split()]);
        var aloneB = new EnsembleForecaster([Ewma(), Split()]);
        for (int t = 0; t < 200; t++)
        {
            together.Observe(a.App, t, a[t]);
            together.Observe(b.App, t, b[t]);
            aloneA.Observe(a.App, t, a[t]);
            aloneB.Observe(b.App, t, b[t]);
        }

        Assert.True(together.Weight(a.App, 1, 0, Resource.Sm) > 0.99);
        Assert.Equal(0, together.Weight(b.App, 1, 0, Resource.Sm));
        AssertSame(aloneA.Predict(a.App), together.Predict(a.App));
        AssertSame(aloneB.Predict(b.App), together.Predict(b.App));
    }

    [Fact]
    public void Observe_WithActivity_ReachesTheMembersThatTakeIt()
    {
        DemandSeries s = Noisy(1, 20, 7);
        ScriptedForecaster member = Perfect(s);
        var ensemble = new EnsembleForecaster([Ewma(), member]);
        double[] activity = new double[ActivitySeries.Channels];
        for (int t = 0; t < 10; t++)
        {
            ensemble.Observe(s.App, t, s[t], activity);
        }

        var batch = new ForecastBatch(Horizon, Levels);
        for (int t = 10; t < 20; t++)
        {
            batch.Begin(t);
            batch.Add(s.App, s[t], t % 2 == 0 ? activity : []);
            ensemble.Step(batch);
        }

        Assert.Equal(15, member.StepsWithActivity);
    }

    [Fact]
    public void Step_WarmBatch_AllocatesNothing()
    {
        var ensemble = new EnsembleForecaster([Ewma(), new LstmQuantileForecaster(Horizon, Levels, new LstmOptions(Hidden: 8))]);
        var batch = new ForecastBatch(Horizon, Levels);
        void Tick(int t)
        {
            batch.Begin(t);
            for (int i = 0; i < 50; i++)
            {
                batch.Add(new AppId(i + 1, 1), new ResourceVector(0.01 * ((t + i) % 90), 1e7 * (t % 13), 1e9 + (1e6 * t)), []);
            }

            ensemble.Step(batch);
        }

        for (int t = 0; t < 20; t++)
        {
            Tick(t);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 20; t < 220; t++)
        {
            Tick(t);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Load_Saved_KeepsMembersAndSettings()
    {
        var options = new EnsembleOptions { Margin = 0.1, Temperature = 0.02, Confidence = 1, HalfLife = 30, MinPoints = 10 };
        var original = new EnsembleForecaster([Ewma(), new LastValueForecaster(Horizon, Levels)], options);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;

        var loaded = Assert.IsType<EnsembleForecaster>(Forecasters.Load(buffer));

        Assert.Equal(options, loaded.Options);
        Assert.Equal(["ewma", "last-value"], loaded.MemberNames);
        DemandSeries s = Noisy(1, 120, 8);
        for (int t = 0; t < s.Count; t++)
        {
            original.Observe(s.App, t, s[t]);
            loaded.Observe(s.App, t, s[t]);
        }

        AssertSame(original.Predict(s.App), loaded.Predict(s.App));
    }

    [Fact]
    public void Load_OneMember_ClearError()
    {
        using var buffer = new MemoryStream();
        new EnsembleForecaster([Ewma(), Ewma()]).Save(buffer);
        byte[] bytes = buffer.ToArray();

        // Prefix (ForecasterFile.PrefixBytes), then the body: "ensemble" 1 + 8, payload version 2 = 11
        // bytes; then horizon 4, level count 4, 3 levels 24, margin, temperature, confidence, half-life
        // 8 each, min points 4; then the member count. The checksum is recomputed, as a forger would.
        BitConverter.TryWriteBytes(bytes.AsSpan(ForecasterFile.PrefixBytes + 11 + 4 + 4 + 24 + 32 + 4), 1);
        bytes = Persistence.SavedForecasters.Rechecksummed(bytes);

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(bytes)));
        Assert.Contains("has 1 members, expected 2..16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MembersOfDifferentHorizons_NamesBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => new EnsembleForecaster([Ewma(), new LastValueForecaster(Horizon + 1, Levels)]));
        Assert.Contains("'ewma' forecasts 3 steps", e.Message, StringComparison.Ordinal);
        Assert.Contains("'last-value' 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DefaultMembers_EwmaFirst()
    {
        var e = Assert.IsType<EnsembleForecaster>(Forecasters.Create(EnsembleForecaster.PolicyName, Horizon, Levels));
        Assert.Equal(["ewma", "mlp", "lstm"], e.MemberNames);
        Assert.Equal("conformal-ensemble", Forecasters.Create("conformal-ensemble", Horizon, Levels).Name);
    }

    /// <summary>Mean pinball of the forecast's horizon step 0 for SM.</summary>
    private static double Pinball(Forecast f, double actual)
    {
        double sum = 0;
        for (int q = 0; q < Levels.Length; q++)
        {
            double d = actual - f.Get(0, q, Resource.Sm);
            sum += d >= 0 ? Levels[q] * d : (Levels[q] - 1) * d;
        }

        return sum / Levels.Length;
    }

    private static void AssertSame(Forecast expected, Forecast actual)
    {
        Assert.Equal(expected.OriginStep, actual.OriginStep);
        for (int h = 0; h < expected.Horizon; h++)
        {
            for (int q = 0; q < expected.Levels.Length; q++)
            {
                foreach (Resource r in Resources.All)
                {
                    Assert.Equal(expected.Get(h, q, r), actual.Get(h, q, r));
                }
            }
        }
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The GRU and Elman forecasters: learning, determinism, save and load, batched stepping.</summary>
public class RecurrentQuantileForecasterTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private static readonly LstmOptions Small = new(Hidden: 16, TrainingSteps: 120);

    public static TheoryData<string> Policies() => new([GruQuantileForecaster.PolicyName, RnnQuantileForecaster.PolicyName]);

    private static RecurrentQuantileForecaster Create(string policy, int horizon, double[] levels, LstmOptions options) => policy switch
    {
        GruQuantileForecaster.PolicyName => new GruQuantileForecaster(horizon, levels, options),
        _ => new RnnQuantileForecaster(horizon, levels, options),
    };

    /// <summary>A period-20 pattern: SM bursts, bandwidth in phase with them, VRAM a sawtooth, plus a little noise.</summary>
    private static DemandSeries Periodic(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        var bw = new double[steps];
        var vram = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            double phase = 2 * Math.PI * t / 20;
            sm[t] = Math.Clamp(0.5 + (0.4 * Math.Sin(phase)) + (0.02 * rng.NextDouble()), 0, 1);
            bw[t] = 1e9 * (1.1 + Math.Sin(phase));
            vram[t] = 1e9 + (1e7 * (t % 20));
        }

        return new DemandSeries(new AppId(pid, 1), $"p{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals);
    }

    private static RecurrentQuantileForecaster Fitted(string policy, LstmOptions options, int seed)
    {
        RecurrentQuantileForecaster f = Create(policy, 4, Levels, options);
        f.Fit([Periodic(1, 1000, seed), Periodic(2, 1000, seed + 1)], seed);
        return f;
    }

    private static double HeldOutLoss(RecurrentQuantileForecaster f)
    {
        float[] series = RecurrentTraining.Normalise(f.Horizon, f.Normaliser, [Periodic(3, 300, 99)])[0];
        var window = new RecurrentWindow(f.Layout, f.Cell, 200);
        return window.Run(f.Parameters, new float[f.Layout.Count], series, 50, 200, 20, 1f);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Fit_PeriodicSeries_LowerPinballLossThanUntrained(string policy)
    {
        double before = HeldOutLoss(Fitted(policy, Small with { TrainingSteps = 0 }, 3));
        double after = HeldOutLoss(Fitted(policy, Small, 3));

        Assert.True(after < 0.6 * before, $"{policy}: pinball loss {before:F4} untrained, {after:F4} trained");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Fit_SameSeed_SameWeights_OtherSeed_Different(string policy)
    {
        LstmOptions quick = Small with { TrainingSteps = 20 };
        Assert.Equal(Fitted(policy, quick, 5).Parameters, Fitted(policy, quick, 5).Parameters);
        Assert.NotEqual(Fitted(policy, quick, 5).Parameters, Fitted(policy, quick, 6).Parameters);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Load_Saved_IdenticalPredictions(string policy)
    {
        RecurrentQuantileForecaster original = Fitted(policy, Small with { TrainingSteps = 20 }, 8);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        (string saved, ushort version) = ForecasterFile.ReadHeader(reader);
        RecurrentQuantileForecaster loaded = policy == GruQuantileForecaster.PolicyName
            ? GruQuantileForecaster.Load(reader, version)
            : RnnQuantileForecaster.Load(reader, version);

        Assert.Equal(policy, saved);
        Assert.Equal(policy, loaded.Name);
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Parameters, loaded.Parameters);
        DemandSeries s = Periodic(4, 60, 4);
        for (int t = 0; t < s.Count; t++)
        {
            original.Observe(s.App, t, s[t]);
            loaded.Observe(s.App, t, s[t]);
        }

        Assert.Equal(Values(original.Predict(s.App)), Values(loaded.Predict(s.App)));
    }

    [Fact]
    public void Load_OtherPayloadVersion_FailsNamingPolicy()
    {
        using var buffer = new MemoryStream();
        new GruQuantileForecaster(2, Levels, Small with { Hidden = 2 }).Save(buffer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        ForecasterFile.ReadHeader(reader);

        var e = Assert.Throws<ForecasterFormatException>(() => GruQuantileForecaster.Load(reader, 2));
        Assert.Contains("'gru'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void StepBatch_ElevenApps_SameAsObserveThenPredict(string policy)
    {
        RecurrentQuantileForecaster single = Fitted(policy, Small with { TrainingSteps = 20 }, 9);
        RecurrentQuantileForecaster batched = Fitted(policy, Small with { TrainingSteps = 20 }, 9);
        DemandSeries[] apps = [.. Enumerable.Range(10, 11).Select(pid => Periodic(pid, 30, pid))];
        int[] slots = [.. apps.Select(a => batched.Slot(a.App))];
        float[] inputs = new float[apps.Length * 3];
        float[] output = new float[apps.Length * batched.OutputsPerApp];
        for (int t = 0; t < 30; t++)
        {
            for (int i = 0; i < apps.Length; i++)
            {
                single.Observe(apps[i].App, t, apps[i][t]);
                (inputs[3 * i], inputs[(3 * i) + 1], inputs[(3 * i) + 2]) = ((float)apps[i][t].SmFraction, (float)apps[i][t].BandwidthBytesPerSecond, (float)apps[i][t].VramBytes);
            }

            batched.StepBatch(slots, inputs, output);
        }

        for (int i = 0; i < apps.Length; i++)
        {
            Forecast expected = single.Predict(apps[i].App);
            double[] got = [.. output.AsSpan(i * batched.OutputsPerApp, batched.OutputsPerApp).ToArray().Select(v => (double)v)];
            Assert.Equal(Values(expected), got);
            Assert.Equal(expected.OriginStep, batched.Predict(apps[i].App).OriginStep);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void StepBatch_Warm_AllocatesNothing(string policy)
    {
        RecurrentQuantileForecaster f = Create(policy, 10, [0.1, 0.5, 0.9, 0.99], new LstmOptions(Hidden: 64));
        int[] slots = [.. Enumerable.Range(0, 100).Select(i => f.Slot(new AppId(i, 1)))];
        float[] inputs = [.. Enumerable.Range(0, 300).Select(i => (float)(i % 3 == 0 ? 0.5 : 1e9))];
        float[] output = new float[100 * f.OutputsPerApp];
        f.StepBatch(slots, inputs, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            f.StepBatch(slots, inputs, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static double[] Values(Forecast f)
    {
        var values = new List<double>();
        for (int h = 0; h < f.Horizon; h++)
        {
            for (int q = 0; q < f.Levels.Length; q++)
            {
                foreach (Resource r in Resources.All)
                {
                    values.Add(f.Get(h, q, r));
                }
            }
        }

        return [.. values];
    }
}

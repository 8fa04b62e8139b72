using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// What every neural forecaster shows: training lowers the held-out pinball loss on a learnable
/// series, the same seed gives the same weights, save and load give identical predictions, another
/// payload version fails naming the policy, <c>StepBatch</c> equals <c>Observe</c> then <c>Predict</c>,
/// warm stepping allocates nothing, and a forgotten application's slot is refused. One sealed
/// subclass per model supplies the factories and keeps that model's own tests.
/// </summary>
public abstract class NeuralForecasterContractTests
{
    /// <summary>The quantile levels of the small models.</summary>
    protected static readonly double[] Levels = [0.1, 0.5, 0.9];

    /// <summary>The policy name the model saves under and reports, spelled out.</summary>
    private protected abstract string Policy { get; }

    /// <summary>How many applications the warm <c>StepBatch</c> allocation test steps at once.</summary>
    private protected virtual int WarmBatchApps => 100;

    /// <summary>The model's small test configuration, with <paramref name="trainingSteps"/> training steps, or the configuration's own when null.</summary>
    private protected abstract NeuralModel Small(int horizon, double[] levels, int? trainingSteps);

    /// <summary>The small configuration two units wide, for the save-format tests.</summary>
    private protected abstract NeuralModel Narrow(int horizon, double[] levels);

    /// <summary>The wider configuration of the warm <c>StepBatch</c> allocation test.</summary>
    private protected abstract NeuralModel Wide(int horizon, double[] levels);

    /// <summary>The model's <c>Load</c>: reads what <c>Save</c> wrote, after the envelope header.</summary>
    private protected abstract NeuralModel Load(BinaryReader reader, ushort payloadVersion);

    [Fact]
    public void Fit_PeriodicSeries_LowerPinballLossThanUntrained()
    {
        double before = Fitted(0, 3).HeldOutLoss();
        double after = Fitted(null, 3).HeldOutLoss();

        Assert.True(after < 0.6 * before, $"{Policy}: pinball loss {before:F4} untrained, {after:F4} trained");
    }

    [Fact]
    public void Fit_SameSeed_SameWeights_OtherSeed_Different()
    {
        Assert.Equal(Fitted(20, 5).Parameters(), Fitted(20, 5).Parameters());
        Assert.NotEqual(Fitted(20, 5).Parameters(), Fitted(20, 6).Parameters());
    }

    [Fact]
    public void Load_Saved_IdenticalPredictions()
    {
        NeuralModel original = Fitted(20, 8);
        using var buffer = new MemoryStream();
        original.Forecaster.Save(buffer);
        buffer.Position = 0;
        (string saved, ushort version, BinaryReader reader) = ForecasterFile.Open(buffer);
        NeuralModel loaded = Load(reader, version);

        Assert.Equal(Policy, saved);
        Assert.Equal(Policy, loaded.Forecaster.Name);
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Parameters(), loaded.Parameters());
        Assert.Equal(reader.BaseStream.Length, reader.BaseStream.Position);
        DemandSeries s = Periodic(4, 60, 4);
        for (int t = 0; t < s.Count; t++)
        {
            original.Forecaster.Observe(s.App, t, s[t]);
            loaded.Forecaster.Observe(s.App, t, s[t]);
        }

        Assert.Equal(Values(original.Forecaster.Predict(s.App)), Values(loaded.Forecaster.Predict(s.App)));
    }

    [Fact]
    public void Load_OtherPayloadVersion_FailsNamingPolicy()
    {
        using var buffer = new MemoryStream();
        Narrow(2, Levels).Forecaster.Save(buffer);
        buffer.Position = 0;
        (_, ushort version, BinaryReader reader) = ForecasterFile.Open(buffer);

        var e = Assert.Throws<ForecasterFormatException>(() => Load(reader, (ushort)(version + 1)));
        Assert.Contains($"'{Policy}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_Warm_AllocatesNothing()
    {
        IForecaster f = Small(4, Levels, null).Forecaster;
        DemandSeries s = Periodic(6, 50, 6);
        f.Observe(s.App, 0, s[0]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 1; t < s.Count; t++)
        {
            f.Observe(s.App, t, s[t]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void StepBatch_ElevenApps_SameAsObserveThenPredict()
    {
        IForecaster single = Fitted(20, 9).Forecaster;
        NeuralModel batched = Fitted(20, 9);
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
            Assert.Equal(expected.OriginStep, batched.Forecaster.Predict(apps[i].App).OriginStep);
        }
    }

    [Fact]
    public void StepBatch_ForgottenSlot_Throws()
    {
        NeuralModel f = Small(2, Levels, null);
        int slot = f.Slot(new AppId(1, 1));
        f.Forecaster.Forget(new AppId(1, 1));

        Assert.Throws<ArgumentException>(() => f.StepBatch([slot], [0.5f, 1e9f, 1e9f], new float[f.OutputsPerApp]));
    }

    [Fact]
    public void StepBatch_Warm_AllocatesNothing()
    {
        NeuralModel f = Wide(10, [0.1, 0.5, 0.9, 0.99]);
        int apps = WarmBatchApps;
        int[] slots = [.. Enumerable.Range(0, apps).Select(i => f.Slot(new AppId(i, 1)))];
        float[] inputs = [.. Enumerable.Range(0, apps * 3).Select(i => (float)(i % 3 == 0 ? 0.5 : 1e9))];
        float[] output = new float[apps * f.OutputsPerApp];
        f.StepBatch(slots, inputs, output);

        // Three trials of ten steps: the runtime itself may allocate on this thread once while the
        // machine is loaded (thread-pool growth under the batch's parallel loop), which is not the
        // forecaster's; a forecaster that allocates per step allocates in every trial.
        var allocated = new List<long>();
        for (int trial = 0; trial < 3 && (allocated.Count == 0 || allocated[^1] != 0); trial++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                f.StepBatch(slots, inputs, output);
            }

            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(allocated[^1] == 0, $"bytes allocated per trial of 10 warm steps: {string.Join(", ", allocated)}");
    }

    /// <summary>A period-20 pattern: SM bursts, bandwidth in phase with them, VRAM a sawtooth, plus a little noise.</summary>
    protected static DemandSeries Periodic(int pid, int steps, int seed)
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

    /// <summary>Bursts of 0.9 SM every 8 steps (0.05 between them, a little noise) at phase <paramref name="phase"/>; no bandwidth or VRAM.</summary>
    protected static DemandSeries Bursts(int pid, int steps, int phase, int seed)
    {
        var rng = new Random(seed);
        double[] sm = [.. Enumerable.Range(0, steps).Select(t => ((t + phase) % 8 == 0 ? 0.9 : 0.05) + (0.01 * rng.NextDouble()))];
        return new DemandSeries(new AppId(pid, 1), $"bursts{pid}", 0, sm, new double[steps], new double[steps], ObservedSignals.SmFromGpuIntervals);
    }

    /// <summary>Mean SM pinball over every origin and horizon step of <paramref name="series"/>, streamed from step 0.</summary>
    protected static double Pinball(IForecaster f, IEnumerable<DemandSeries> series)
    {
        double loss = 0;
        long count = 0;
        foreach (DemandSeries s in series)
        {
            for (int t = 0; t < s.Count; t++)
            {
                f.ObserveStep(s.App, t, s, t);
                Forecast forecast = f.Predict(s.App);
                for (int h = 0; h < f.Horizon && t + 1 + h < s.Count; h++)
                {
                    double y = s[t + 1 + h].SmFraction;
                    for (int q = 0; q < Levels.Length; q++)
                    {
                        double d = y - forecast.Get(h, q, Resource.Sm);
                        loss += d >= 0 ? Levels[q] * d : (Levels[q] - 1) * d;
                        count++;
                    }
                }
            }
        }

        return loss / count;
    }

    /// <summary>Fits <paramref name="f"/> on two periodic series from <paramref name="seed"/>.</summary>
    protected static T FitPeriodic<T>(T f, int seed)
        where T : IForecaster
    {
        f.Fit([Periodic(1, 1000, seed), Periodic(2, 1000, seed + 1)], seed);
        return f;
    }

    /// <summary>A forecast's values laid out [horizon][level][resource], as <c>StepBatch</c> writes them.</summary>
    protected static double[] Values(Forecast f)
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

    /// <summary>The small model, horizon 4, fitted from <paramref name="seed"/>.</summary>
    private NeuralModel Fitted(int? trainingSteps, int seed)
    {
        NeuralModel m = Small(4, Levels, trainingSteps);
        FitPeriodic(m.Forecaster, seed);
        return m;
    }
}

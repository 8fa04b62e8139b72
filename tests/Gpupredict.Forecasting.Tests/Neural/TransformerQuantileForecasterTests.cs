using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The Transformer forecaster: learning, determinism, save and load, streaming against training windows, batched stepping.</summary>
public class TransformerQuantileForecasterTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private static readonly TransformerOptions Small = new(Model: 16, Window: 24, FeedForward: 32);

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

    private static TransformerQuantileForecaster Fitted(TransformerOptions options, int seed)
    {
        var f = new TransformerQuantileForecaster(4, Levels, options);
        f.Fit([Periodic(1, 1000, seed), Periodic(2, 1000, seed + 1)], seed);
        return f;
    }

    /// <summary>Mean pinball loss (normalised space) of the forecasts made at steps 50..249 of an unseen series.</summary>
    private static double HeldOutLoss(TransformerQuantileForecaster f)
    {
        float[] series = RecurrentTraining.Normalise(f.Horizon, f.Normaliser, [Periodic(3, 300, 99)])[0];
        var window = new TransformerWindow(f.Layout);
        float[] grad = new float[f.Layout.Count];
        double loss = 0;
        for (int end = 50; end < 250; end++)
        {
            loss += window.Run(f.Parameters, grad, series, end, 1f);
        }

        return loss / 200;
    }

    [Fact]
    public void Fit_PeriodicSeries_LowerPinballLossThanUntrained()
    {
        double before = HeldOutLoss(Fitted(Small with { TrainingSteps = 0 }, 3));
        double after = HeldOutLoss(Fitted(Small, 3));

        Assert.True(after < 0.6 * before, $"pinball loss {before:F4} untrained, {after:F4} trained");
    }

    [Fact]
    public void Fit_SameSeed_SameWeights_OtherSeed_Different()
    {
        TransformerOptions quick = Small with { TrainingSteps = 20 };
        Assert.Equal(Fitted(quick, 5).Parameters, Fitted(quick, 5).Parameters);
        Assert.NotEqual(Fitted(quick, 5).Parameters, Fitted(quick, 6).Parameters);
    }

    [Fact]
    public void Load_Saved_IdenticalPredictions()
    {
        TransformerQuantileForecaster original = Fitted(Small with { TrainingSteps = 20 }, 8);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        (string saved, ushort version) = ForecasterFile.ReadHeader(reader);
        TransformerQuantileForecaster loaded = TransformerQuantileForecaster.Load(reader, version);

        Assert.Equal(TransformerQuantileForecaster.PolicyName, saved);
        Assert.Equal(TransformerQuantileForecaster.PolicyName, loaded.Name);
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Parameters, loaded.Parameters);
        Assert.Equal(buffer.Length, buffer.Position);
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
        new TransformerQuantileForecaster(2, Levels, Small with { Model = 2 }).Save(buffer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        ForecasterFile.ReadHeader(reader);

        var e = Assert.Throws<ForecasterFormatException>(() => TransformerQuantileForecaster.Load(reader, 2));
        Assert.Contains("'transformer'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The ring a stream fills holds what training sees: after 5 steps (4 of the window's 6
    /// positions still padding) and after 40 (the ring has wrapped), Predict's median equals the
    /// head on the encoder output of the training window ending at the same step.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void Predict_Streamed_SameAsTrainingWindow(int steps)
    {
        TransformerQuantileForecaster f = Fitted(Small with { Window = 6, TrainingSteps = 10 }, 2);
        DemandSeries s = Periodic(5, steps, 5);
        for (int t = 0; t < steps; t++)
        {
            f.Observe(s.App, t, s[t]);
        }

        float[] series = RecurrentTraining.Normalise(0, f.Normaliser, [s])[0];
        var encoder = new TransformerEncoder(f.Layout);
        TransformerWindow.Fill(f.Layout.Window, series, steps - 1, encoder.Input);
        encoder.Forward(f.Parameters);
        float[] raw = new float[f.Layout.Outputs];
        TransformerMath.Affine(f.Parameters, f.Layout.HeadOffset, f.Layout.HeadBiasOffset, encoder.Output, raw);
        float[] expected = new float[f.Layout.Outputs];
        new RecurrentHead(f.Horizon, f.Layout.Levels, f.Layout.Median, f.Layout.HeadOffset, f.Layout.HeadBiasOffset).Emit(f.Normaliser, raw, expected);

        Forecast forecast = f.Predict(s.App);
        Assert.Equal(steps - 1, forecast.OriginStep);
        double[] got = Values(forecast);
        for (int i = 0; i < expected.Length; i++)
        {
            // Observe rounds raw demand to float before normalising, training normalises doubles: equal to float precision.
            Assert.Equal(expected[i], got[i], Math.Abs(expected[i]) * 1e-5);
        }
    }

    [Fact]
    public void Observe_Warm_AllocatesNothing()
    {
        var f = new TransformerQuantileForecaster(4, Levels, Small);
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
        TransformerQuantileForecaster single = Fitted(Small with { TrainingSteps = 20 }, 9);
        TransformerQuantileForecaster batched = Fitted(Small with { TrainingSteps = 20 }, 9);
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

    [Fact]
    public void StepBatch_ForgottenSlot_Throws()
    {
        var f = new TransformerQuantileForecaster(2, Levels, Small);
        int slot = f.Slot(new AppId(1, 1));
        f.Forget(new AppId(1, 1));

        Assert.Throws<ArgumentException>(() => f.StepBatch([slot], [0.5f, 1e9f, 1e9f], new float[f.OutputsPerApp]));
    }

    [Fact]
    public void StepBatch_Warm_AllocatesNothing()
    {
        var f = new TransformerQuantileForecaster(10, [0.1, 0.5, 0.9, 0.99]);
        int[] slots = [.. Enumerable.Range(0, 20).Select(i => f.Slot(new AppId(i, 1)))];
        float[] inputs = [.. Enumerable.Range(0, 60).Select(i => (float)(i % 3 == 0 ? 0.5 : 1e9))];
        float[] output = new float[20 * f.OutputsPerApp];
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

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The global MLP forecaster against the neural contract, and what it is for: untrained it is its
/// base, trained on some applications it forecasts others it never saw better than persistence and
/// the EWMA, the same seed gives the same curve, and early stopping ends training when the held-out
/// loss stops improving.
/// </summary>
public sealed class MlpQuantileForecasterTests : NeuralForecasterContractTests
{
    private static readonly MlpOptions SmallOptions = new(Lookback: 24, Hidden: 16);

    private protected override string Policy => "mlp";

    private protected override NeuralModel Small(int horizon, double[] levels, int? trainingSteps) =>
        Bind(new MlpQuantileForecaster(horizon, levels, trainingSteps is int epochs ? SmallOptions with { MaxEpochs = epochs } : SmallOptions));

    private protected override NeuralModel Narrow(int horizon, double[] levels) => Bind(new MlpQuantileForecaster(horizon, levels, SmallOptions with { Hidden = 2 }));

    private protected override NeuralModel Wide(int horizon, double[] levels) => Bind(new MlpQuantileForecaster(horizon, levels));

    private protected override NeuralModel Load(BinaryReader reader, ushort payloadVersion) => Bind(MlpQuantileForecaster.Load(reader, payloadVersion));

    [Theory]
    [InlineData(MlpBase.Last)]
    [InlineData(MlpBase.Ewma)]
    public void Predict_Untrained_MedianIsTheBase(MlpBase kind)
    {
        var f = new MlpQuantileForecaster(3, Levels, SmallOptions with { Base = kind });
        var app = new AppId(1, 1);
        double[] sm = [0.2, 0.6, 0.4];
        double level = sm[0];
        for (int t = 0; t < sm.Length; t++)
        {
            f.Observe(app, t, new ResourceVector(sm[t], 2e9, 3e9));
            level += 0.3 * (sm[t] - level);
        }

        Forecast forecast = f.Predict(app);
        double expected = kind == MlpBase.Last ? 0.4 : level;
        for (int h = 0; h < 3; h++)
        {
            Assert.Equal(expected, forecast.Quantile(h, 0.5, Resource.Sm), 1e-6);
            Assert.Equal(2e9, forecast.Quantile(h, 0.5, Resource.MemoryBandwidth), 2e9 * 1e-6);
            Assert.True(forecast.Quantile(h, 0.9, Resource.Sm) - forecast.Quantile(h, 0.1, Resource.Sm) < 0.1, "the untrained interval is narrow");
        }
    }

    [Fact]
    public void Predict_FirstStep_ForecastsWithAPaddedLookback()
    {
        MlpQuantileForecaster f = FitPeriodic(new MlpQuantileForecaster(4, Levels, SmallOptions with { MaxEpochs = 5 }), 1);
        var app = new AppId(9, 1);
        f.Observe(app, 0, new ResourceVector(0.7, 1e9, 1e9));

        Forecast forecast = f.Predict(app);

        Assert.Equal(0, forecast.OriginStep);
        Assert.InRange(forecast.Quantile(0, 0.5, Resource.Sm), 0, 1);
    }

    /// <summary>
    /// Bursts of 0.9 SM every 8 steps (0.05 between them) at a different phase per application: persistence
    /// and the EWMA miss every burst and every step after one; a model that learned the rhythm from other
    /// applications does not. Trained on four applications, scored on two it never saw, from their first step.
    /// </summary>
    [Fact]
    public void Fit_PeriodicBursts_BeatsPersistenceAndEwmaOnUnseenApplications()
    {
        DemandSeries[] training = [.. Enumerable.Range(0, 4).Select(i => Bursts(i + 1, 600, i, 10 + i))];
        DemandSeries[] unseen = [Bursts(20, 300, 5, 50), Bursts(21, 300, 3, 51)];
        var mlp = new MlpQuantileForecaster(4, Levels, SmallOptions);
        mlp.Fit(training, 3);

        double model = Pinball(mlp, unseen);
        double persistence = Pinball(new LastValueForecaster(4, Levels), unseen);
        double ewma = Pinball(new EwmaQuantileForecaster(4, Levels), unseen);

        Assert.True(model < 0.5 * persistence && model < 0.5 * ewma, $"pinball: mlp {model:F4}, last-value {persistence:F4}, ewma {ewma:F4}");
    }

    [Fact]
    public void Fit_SameSeed_SameTrainingCurve()
    {
        MlpQuantileForecaster a = FitPeriodic(new MlpQuantileForecaster(4, Levels, SmallOptions with { MaxEpochs = 8 }), 4);
        MlpQuantileForecaster b = FitPeriodic(new MlpQuantileForecaster(4, Levels, SmallOptions with { MaxEpochs = 8 }), 4);

        Assert.Equal(a.TrainingCurve, b.TrainingCurve);
        Assert.Equal(9, a.TrainingCurve.Count);
        Assert.True(a.TrainingCurve[^1].ValidationLoss < a.TrainingCurve[0].ValidationLoss, "training lowered the held-out loss");
    }

    /// <summary>On white noise nothing generalises past a few epochs: the held-out loss stops improving and training stops long before the cap.</summary>
    [Fact]
    public void Fit_NothingToLearn_StopsEarlyAndKeepsTheBestEpoch()
    {
        var f = new MlpQuantileForecaster(4, Levels, SmallOptions with { MaxEpochs = 300, Patience = 3, LearningRate = 1e-2f });
        f.Fit(EarlyStoppingAssert.Noise(), 1);

        EarlyStoppingAssert.StoppedPatiencePastBest(f.TrainingCurve, patience: 3, maxEpochs: 300);
    }

    [Fact]
    public void Fit_NoUsableWindow_StaysUntrainedWithAnEmptyCurve()
    {
        var f = new MlpQuantileForecaster(10, Levels, SmallOptions);
        f.Fit([Bursts(1, 5, 0, 1)], 1);

        Assert.Empty(f.TrainingCurve);
    }

    /// <summary>
    /// SM bursts at random steps, each announced by kernel launches one step before: the demand history
    /// cannot foresee them, the activity can. Trained on four applications, scored on two it never saw.
    /// </summary>
    [Fact]
    public void Fit_LaunchesAnnounceBursts_ActivityLowersPinballOnUnseenApplications()
    {
        DemandSeries[] training = [.. Enumerable.Range(0, 4).Select(i => Announced(i + 1, 600, 30 + i))];
        DemandSeries[] unseen = [Announced(20, 300, 60), Announced(21, 300, 61)];
        var with = new MlpQuantileForecaster(1, Levels, SmallOptions with { UseActivity = true });
        var without = new MlpQuantileForecaster(1, Levels, SmallOptions);
        with.Fit(training, 2);
        without.Fit(training, 2);

        double a = Pinball(with, unseen), b = Pinball(without, unseen);

        Assert.True(a < 0.7 * b, $"pinball with activity {a:F4}, without {b:F4}");
    }

    /// <summary>The tick's batch hands each slot's activity to the step it belongs to: same forecasts as feeding each step with its activity, then Predict.</summary>
    [Fact]
    public void Step_BatchWithActivity_SameAsFeedThenPredict()
    {
        DemandSeries[] training = [Announced(1, 400, 7), Announced(2, 400, 8)];
        var single = new MlpQuantileForecaster(3, Levels, SmallOptions with { UseActivity = true, MaxEpochs = 5 });
        var batched = new MlpQuantileForecaster(3, Levels, SmallOptions with { UseActivity = true, MaxEpochs = 5 });
        single.Fit(training, 1);
        batched.Fit(training, 1);
        DemandSeries[] apps = [Announced(10, 40, 70), Announced(11, 40, 71), Announced(12, 40, 72)];
        var batch = new ForecastBatch(3, Levels);
        for (int t = 0; t < 40; t++)
        {
            batch.Begin(t);
            foreach (DemandSeries a in apps)
            {
                batch.Add(a.App, a[t], a.Activity!.At(t));
                single.ObserveStep(a.App, t, a, t);
            }

            batched.Step(batch);
        }

        for (int i = 0; i < apps.Length; i++)
        {
            Assert.Equal(Values(single.Predict(apps[i].App)), Values(batch.Forecast(i)));
        }
    }

    private static DemandSeries Announced(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        bool[] burst = [.. Enumerable.Range(0, steps).Select(_ => rng.NextDouble() < 0.15)];
        double[] sm = [.. burst.Select(b => b ? 0.9 : 0.05)];
        double[] activity = new double[steps * ActivitySeries.Channels];
        for (int t = 0; t + 1 < steps; t++)
        {
            activity[(t * ActivitySeries.Channels) + (int)ActivityChannel.Launches] = burst[t + 1] ? 40 : 0;
        }

        return new DemandSeries(new AppId(pid, 1), $"announced{pid}", 0, sm, new double[steps], new double[steps], ObservedSignals.SmFromGpuIntervals, new ActivitySeries(activity));
    }

    private static NeuralModel Bind(MlpQuantileForecaster f) =>
        new(f, () => f.Parameters, f.Options, f.Slot, f.StepBatch, f.OutputsPerApp, () => Pinball(f, [Periodic(3, 300, 99)]));
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The neural contract for the models configured by <see cref="LstmOptions"/>: LSTM, GRU and Elman;
/// and what their per-application scaling is for: untrained they are persistence, trained on some
/// applications they forecast others they never saw better than persistence and the EWMA, the same
/// seed gives the same curve, and early stopping ends training when the held-out loss stops improving.
/// </summary>
public abstract class RecurrentForecasterContractTests : NeuralForecasterContractTests
{
    private static readonly LstmOptions SmallOptions = new(Hidden: 16, TrainingSteps: 30, MaxEpochs: 8);

    /// <summary>The model's constructor.</summary>
    private protected abstract NeuralModel Create(int horizon, double[] levels, LstmOptions options);

    private protected override NeuralModel Small(int horizon, double[] levels, int? trainingSteps) =>
        Create(horizon, levels, trainingSteps is int steps ? SmallOptions with { TrainingSteps = steps } : SmallOptions);

    private protected override NeuralModel Narrow(int horizon, double[] levels) => Create(horizon, levels, SmallOptions with { Hidden = 2 });

    private protected override NeuralModel Wide(int horizon, double[] levels) => Create(horizon, levels, new LstmOptions(Hidden: 64));

    [Fact]
    public void Predict_Untrained_MedianIsTheNewestValue()
    {
        IForecaster f = Create(3, Levels, SmallOptions).Forecaster;
        var app = new AppId(1, 1);
        f.Observe(app, 0, new ResourceVector(0.2, 1e9, 3e9));
        f.Observe(app, 1, new ResourceVector(0.6, 4e9, 3e9));
        f.Observe(app, 2, new ResourceVector(0.4, 2e9, 3e9));

        Forecast forecast = f.Predict(app);
        for (int h = 0; h < 3; h++)
        {
            Assert.Equal(0.4, forecast.Quantile(h, 0.5, Resource.Sm), 1e-6);
            Assert.Equal(2e9, forecast.Quantile(h, 0.5, Resource.MemoryBandwidth), 2e9 * 1e-6);
            Assert.Equal(3e9, forecast.Quantile(h, 0.5, Resource.Vram), 3e9 * 1e-6);
            Assert.True(forecast.Quantile(h, 0.9, Resource.Sm) - forecast.Quantile(h, 0.1, Resource.Sm) < 0.2, "the untrained interval is narrow");
        }
    }

    /// <summary>
    /// Bursts of 0.9 SM every 8 steps at a different phase per application: persistence and the EWMA
    /// miss every burst and every step after one; a model that learned the rhythm from other
    /// applications does not. Trained on four applications, scored on two it never saw, from their first step.
    /// </summary>
    [Fact]
    public void Fit_PeriodicBursts_BeatsPersistenceAndEwmaOnUnseenApplications()
    {
        DemandSeries[] training = [.. Enumerable.Range(0, 4).Select(i => Bursts(i + 1, 600, i, 10 + i))];
        DemandSeries[] unseen = [Bursts(20, 300, 5, 50), Bursts(21, 300, 3, 51)];
        IForecaster f = Create(4, Levels, SmallOptions with { MaxEpochs = 20, Patience = 5 }).Forecaster;
        f.Fit(training, 3);

        double model = Pinball(f, unseen);
        double persistence = Pinball(new LastValueForecaster(4, Levels), unseen);
        double ewma = Pinball(new EwmaQuantileForecaster(4, Levels), unseen);

        Assert.True(model < 0.5 * persistence && model < 0.5 * ewma, $"pinball: {Policy} {model:F4}, last-value {persistence:F4}, ewma {ewma:F4}");
    }

    [Fact]
    public void Fit_SameSeed_SameTrainingCurve()
    {
        var a = (ITrainingCurve)FitPeriodic(Create(4, Levels, SmallOptions with { MaxEpochs = 4 }).Forecaster, 4);
        var b = (ITrainingCurve)FitPeriodic(Create(4, Levels, SmallOptions with { MaxEpochs = 4 }).Forecaster, 4);

        Assert.Equal(a.TrainingCurve, b.TrainingCurve);
        Assert.InRange(a.TrainingCurve.Count, 2, 5);
        Assert.True(double.IsFinite(a.TrainingCurve[0].ValidationLoss), "the untrained network is scored");
    }

    /// <summary>On white noise nothing generalises: the held-out loss stops improving and training stops long before the cap, keeping the best epoch.</summary>
    [Fact]
    public void Fit_NothingToLearn_StopsEarlyAndKeepsTheBestEpoch()
    {
        IForecaster f = Create(4, Levels, SmallOptions with { TrainingSteps = 10, MaxEpochs = 200, Patience = 3, LearningRate = 2e-2f }).Forecaster;
        f.Fit(EarlyStoppingAssert.Noise(), 1);

        EarlyStoppingAssert.StoppedPatiencePastBest(((ITrainingCurve)f).TrainingCurve, patience: 3, maxEpochs: 200);
    }

    [Fact]
    public void Fit_NoUsableWindow_StaysUntrainedWithAnEmptyCurve()
    {
        IForecaster f = Create(10, Levels, SmallOptions).Forecaster;
        f.Fit([Bursts(1, 5, 0, 1)], 1);

        Assert.Empty(((ITrainingCurve)f).TrainingCurve);
    }

    /// <summary>Binds a GRU or Elman forecaster.</summary>
    private protected static NeuralModel Bind(RecurrentQuantileForecaster f) =>
        new(f, () => f.Parameters, f.Options, f.Slot, f.StepBatch, f.OutputsPerApp, () => HeldOutLoss(f));

    private static double HeldOutLoss(RecurrentQuantileForecaster f)
    {
        ScaledSeries series = ScaledSeries.Build(Periodic(3, 300, 99), f.Options.ScaleDecay);
        var window = new RecurrentWindow(f.Layout, f.Cell, 200);
        return window.Run(f.Parameters, new float[f.Layout.Count], series, 50, 200, 20, 1f);
    }
}

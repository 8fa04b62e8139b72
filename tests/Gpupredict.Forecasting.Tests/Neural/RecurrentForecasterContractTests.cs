using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The neural contract for the models configured by <see cref="LstmOptions"/>: LSTM, GRU and Elman.</summary>
public abstract class RecurrentForecasterContractTests : NeuralForecasterContractTests
{
    private static readonly LstmOptions SmallOptions = new(Hidden: 16, TrainingSteps: 30, MaxEpochs: 8);

    /// <summary>The model's constructor.</summary>
    private protected abstract NeuralModel Create(int horizon, double[] levels, LstmOptions options);

    private protected override NeuralModel Small(int horizon, double[] levels, int? trainingSteps) =>
        Create(horizon, levels, trainingSteps is int steps ? SmallOptions with { TrainingSteps = steps } : SmallOptions);

    private protected override NeuralModel Narrow(int horizon, double[] levels) => Create(horizon, levels, SmallOptions with { Hidden = 2 });

    private protected override NeuralModel Wide(int horizon, double[] levels) => Create(horizon, levels, new LstmOptions(Hidden: 64));

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

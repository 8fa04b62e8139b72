using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The LSTM forecaster against the neural contract.</summary>
public sealed class LstmQuantileForecasterTests : RecurrentForecasterContractTests
{
    private protected override string Policy => "lstm";

    private protected override NeuralModel Create(int horizon, double[] levels, LstmOptions options) => Bind(new LstmQuantileForecaster(horizon, levels, options));

    private protected override NeuralModel Load(BinaryReader reader, ushort payloadVersion) => Bind(LstmQuantileForecaster.Load(reader, payloadVersion));

    private static NeuralModel Bind(LstmQuantileForecaster f) =>
        new(f, () => f.Parameters, f.Options, f.Slot, f.StepBatch, f.OutputsPerApp, () => HeldOutLoss(f));

    private static double HeldOutLoss(LstmQuantileForecaster f)
    {
        ScaledSeries series = ScaledSeries.Build(Periodic(3, 300, 99), f.Options.ScaleDecay);
        var window = new LstmWindow(f.Layout, 200);
        return window.Run(f.Parameters, new float[f.Layout.Count], series, 50, 200, 20, 1f);
    }
}

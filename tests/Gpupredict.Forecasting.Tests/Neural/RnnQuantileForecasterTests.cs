using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The Elman forecaster against the neural contract.</summary>
public sealed class RnnQuantileForecasterTests : RecurrentForecasterContractTests
{
    private protected override string Policy => "rnn";

    private protected override NeuralModel Create(int horizon, double[] levels, LstmOptions options) => Bind(new RnnQuantileForecaster(horizon, levels, options));

    private protected override NeuralModel Load(BinaryReader reader, ushort payloadVersion) => Bind(RnnQuantileForecaster.Load(reader, payloadVersion));
}

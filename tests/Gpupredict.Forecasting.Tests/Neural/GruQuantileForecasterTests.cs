using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The GRU forecaster against the neural contract.</summary>
public sealed class GruQuantileForecasterTests : RecurrentForecasterContractTests
{
    private protected override string Policy => "gru";

    private protected override NeuralModel Create(int horizon, double[] levels, LstmOptions options) => Bind(new GruQuantileForecaster(horizon, levels, options));

    private protected override NeuralModel Load(BinaryReader reader, ushort payloadVersion) => Bind(GruQuantileForecaster.Load(reader, payloadVersion));
}

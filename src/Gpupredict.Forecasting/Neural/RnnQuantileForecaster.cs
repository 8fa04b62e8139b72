namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// An Elman RNN quantile forecaster (<see cref="RnnCell"/>, h' = tanh(zx + zh)): the smallest and fastest
/// recurrent policy, one block instead of the LSTM's four; otherwise the same features, head and training.
/// </summary>
public sealed class RnnQuantileForecaster : RecurrentQuantileForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "rnn";

    /// <summary>The payload version <see cref="RecurrentQuantileForecaster.Save"/> writes (format of <see cref="RecurrentModelFile"/>).</summary>
    internal const ushort PayloadVersion = 2;

    /// <summary>Creates an untrained forecaster (weights initialised with seed 0).</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Network size and training budget; <c>null</c> for the defaults.</param>
    public RnnQuantileForecaster(int horizon, IReadOnlyList<double> levels, LstmOptions? options = null)
        : base(PolicyName, PayloadVersion, RnnCell.Instance, horizon, levels, options)
    {
    }

    /// <summary>Reads what Save wrote, after the envelope header.</summary>
    internal static RnnQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        (int horizon, double[] levels, LstmOptions options) = RecurrentModelFile.ReadShape(reader, PolicyName, payloadVersion, PayloadVersion);
        var f = new RnnQuantileForecaster(horizon, levels, options);
        f.ReadWeights(reader);
        return f;
    }
}

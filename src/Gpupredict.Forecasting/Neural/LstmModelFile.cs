namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Payload version 2 of a saved <see cref="LstmQuantileForecaster"/>: the <see cref="RecurrentModelFile"/>
/// format, with the parameters in <see cref="LstmLayout"/> order.
/// </summary>
internal static class LstmModelFile
{
    public const ushort PayloadVersion = 2;

    public static void Save(Stream destination, LstmLayout layout, LstmOptions o, ReadOnlySpan<float> parameters) =>
        RecurrentModelFile.Save(destination, LstmQuantileForecaster.PolicyName, PayloadVersion, layout.Horizon, layout.Levels, o, parameters);

    /// <summary>Reads the horizon, levels and options; the constructor validates them.</summary>
    public static (int Horizon, double[] Levels, LstmOptions Options) ReadShape(BinaryReader reader, ushort payloadVersion) =>
        RecurrentModelFile.ReadShape(reader, LstmQuantileForecaster.PolicyName, payloadVersion, PayloadVersion);

    /// <summary>Reads the weights into <paramref name="parameters"/>; fails on a count mismatch or a non-finite weight.</summary>
    public static void ReadWeights(BinaryReader reader, Span<float> parameters) =>
        RecurrentModelFile.ReadWeights(reader, LstmQuantileForecaster.PolicyName, parameters);
}

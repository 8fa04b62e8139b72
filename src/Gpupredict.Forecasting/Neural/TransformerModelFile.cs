using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The payload of a saved <see cref="TransformerQuantileForecaster"/>, after the
/// <see cref="ForecasterFile"/> envelope: horizon (int32), level count (int32) and levels (float64
/// each), the <see cref="TransformerOptions"/> fields in declaration order (5 × int32, 2 × float32,
/// 2 × int32, 2 × float32), then the parameters exactly as <see cref="RecurrentModelFile"/> writes
/// them (the count as int32, the parameters as float32 in <see cref="TransformerLayout"/> order).
/// </summary>
internal static class TransformerModelFile
{
    public static void Save(Stream destination, string policy, ushort payloadVersion, int horizon, ReadOnlySpan<double> levels, TransformerOptions o, ReadOnlySpan<float> parameters)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, policy, payloadVersion);
        LevelsPayload.Write(w, horizon, levels);

        w.Write(o.Model);
        w.Write(o.Window);
        w.Write(o.FeedForward);
        w.Write(o.BatchSize);
        w.Write(o.TrainingSteps);
        w.Write(o.LearningRate);
        w.Write(o.ClipNorm);
        w.Write(o.MaxEpochs);
        w.Write(o.Patience);
        w.Write(o.ValidationFraction);
        w.Write(o.ScaleDecay);
        RecurrentModelFile.WriteWeights(w, parameters);
    }

    /// <summary>Checks the payload version, then reads the horizon, levels and options; the constructor validates them.</summary>
    public static (int Horizon, double[] Levels, TransformerOptions Options) ReadShape(BinaryReader reader, string policy, ushort payloadVersion, ushort expected)
    {
        ForecasterFile.RequireVersion(policy, payloadVersion, expected);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, policy);
        var options = new TransformerOptions(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
        return (horizon, levels, options);
    }
}

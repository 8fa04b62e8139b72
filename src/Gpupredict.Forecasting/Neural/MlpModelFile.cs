using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Payload version 1 of a saved <see cref="MlpQuantileForecaster"/>, after the
/// <see cref="ForecasterFile"/> envelope: horizon (int32), level count (int32) and levels (float64
/// each), the <see cref="MlpOptions"/> fields in declaration order (Lookback, Hidden, Base as int32,
/// LogBytes as a byte, ScaleDecay, EwmaAlpha as float32, BatchSize, MaxEpochs, EpochSamples as
/// int32, LearningRate as float32, Patience as int32, ValidationFraction as float32, MaxWindows as
/// int32, UseActivity as a byte), the parameter count (int32) and the parameters (float32, in <see cref="MlpLayout"/> order).
/// Normalisation is per application and streaming, so nothing else is saved.
/// </summary>
internal static class MlpModelFile
{
    public const ushort PayloadVersion = 1;

    public static void Save(Stream destination, MlpLayout l, MlpOptions o, ReadOnlySpan<float> parameters)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, MlpQuantileForecaster.PolicyName, PayloadVersion);
        LevelsPayload.Write(w, l.Horizon, l.Levels);
        w.Write(o.Lookback);
        w.Write(o.Hidden);
        w.Write((int)o.Base);
        w.Write(o.LogBytes);
        w.Write(o.ScaleDecay);
        w.Write(o.EwmaAlpha);
        w.Write(o.BatchSize);
        w.Write(o.MaxEpochs);
        w.Write(o.EpochSamples);
        w.Write(o.LearningRate);
        w.Write(o.Patience);
        w.Write(o.ValidationFraction);
        w.Write(o.MaxWindows);
        w.Write(o.UseActivity);
        RecurrentModelFile.WriteWeights(w, parameters);
    }

    /// <summary>Checks the payload version, then reads the horizon, levels and options; the constructor validates them.</summary>
    public static (int Horizon, double[] Levels, MlpOptions Options) ReadShape(BinaryReader reader, ushort payloadVersion)
    {
        string policy = MlpQuantileForecaster.PolicyName;
        ForecasterFile.RequireVersion(policy, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, policy);
        var options = new MlpOptions(
            Lookback: reader.ReadInt32(),
            Hidden: reader.ReadInt32(),
            Base: (MlpBase)reader.ReadInt32(),
            LogBytes: reader.ReadBoolean(),
            ScaleDecay: reader.ReadSingle(),
            EwmaAlpha: reader.ReadSingle(),
            BatchSize: reader.ReadInt32(),
            MaxEpochs: reader.ReadInt32(),
            EpochSamples: reader.ReadInt32(),
            LearningRate: reader.ReadSingle(),
            Patience: reader.ReadInt32(),
            ValidationFraction: reader.ReadSingle(),
            MaxWindows: reader.ReadInt32(),
            UseActivity: reader.ReadBoolean());
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has an option out of range: {e.Message}");
        }

        return (horizon, levels, options);
    }

    /// <summary>Reads the parameters into <paramref name="parameters"/>; fails on a count mismatch or a non-finite weight.</summary>
    public static void ReadWeights(BinaryReader reader, Span<float> parameters) =>
        RecurrentModelFile.ReadWeights(reader, MlpQuantileForecaster.PolicyName, parameters);
}

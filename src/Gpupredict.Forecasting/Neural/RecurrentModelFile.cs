using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The payload of a saved recurrent forecaster (LSTM, GRU, Elman RNN), after the
/// <see cref="ForecasterFile"/> envelope: horizon (int32), level count (int32) and levels (float64
/// each), the <see cref="LstmOptions"/> fields in declaration order (5 × int32, 2 × float32,
/// 2 × int32, 2 × float32), the parameter count (int32) and the parameters (float32, in the
/// network's layout order). Payload version 2: scaled per application (version 1 carried a
/// per-data-set normalisation and had fewer option fields; it is refused).
/// </summary>
internal static class RecurrentModelFile
{
    public static void Save(Stream destination, string policy, ushort payloadVersion, int horizon, ReadOnlySpan<double> levels, LstmOptions o, ReadOnlySpan<float> parameters)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, policy, payloadVersion);
        LevelsPayload.Write(w, horizon, levels);

        w.Write(o.Hidden);
        w.Write(o.Window);
        w.Write(o.BurnIn);
        w.Write(o.BatchSize);
        w.Write(o.TrainingSteps);
        w.Write(o.LearningRate);
        w.Write(o.ClipNorm);
        w.Write(o.MaxEpochs);
        w.Write(o.Patience);
        w.Write(o.ValidationFraction);
        w.Write(o.ScaleDecay);
        WriteWeights(w, parameters);
    }

    /// <summary>Writes the parameters (count, then each).</summary>
    public static void WriteWeights(BinaryWriter w, ReadOnlySpan<float> parameters)
    {
        w.Write(parameters.Length);
        foreach (float p in parameters)
        {
            w.Write(p);
        }
    }

    /// <summary>Checks the payload version, then reads the horizon, levels and options; the constructor validates them.</summary>
    public static (int Horizon, double[] Levels, LstmOptions Options) ReadShape(BinaryReader reader, string policy, ushort payloadVersion, ushort expected)
    {
        ForecasterFile.RequireVersion(policy, payloadVersion, expected);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, policy);
        var options = new LstmOptions(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
        return (horizon, levels, options);
    }

    /// <summary>Reads the weights into <paramref name="parameters"/>; fails on a count mismatch or a non-finite weight.</summary>
    public static void ReadWeights(BinaryReader reader, string policy, Span<float> parameters)
    {
        int count = reader.ReadInt32();
        if (count != parameters.Length)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {count} parameters; its shape needs {parameters.Length}");
        }

        for (int i = 0; i < count; i++)
        {
            float p = reader.ReadSingle();
            if (!float.IsFinite(p))
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster has parameter [{i}] = {p}");
            }

            parameters[i] = p;
        }
    }
}

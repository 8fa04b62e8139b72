using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The payload of a saved recurrent forecaster (LSTM, GRU, Elman RNN), after the
/// <see cref="ForecasterFile"/> envelope: horizon (int32), level count (int32) and levels (float64
/// each), the <see cref="LstmOptions"/> fields in declaration order (5 × int32, 2 × float32),
/// per-resource normalisation mean, scale and largest log value (3 × 3 float32), the parameter count
/// (int32) and the parameters (float32, in the network's layout order).
/// </summary>
internal static class RecurrentModelFile
{
    public static void Save(Stream destination, string policy, ushort payloadVersion, int horizon, ReadOnlySpan<double> levels, LstmOptions o, LstmNormaliser n, ReadOnlySpan<float> parameters)
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
        WriteWeights(w, n, parameters);
    }

    /// <summary>Writes normalisation (mean, scale, largest log value per resource) and the parameters (count, then each).</summary>
    public static void WriteWeights(BinaryWriter w, LstmNormaliser n, ReadOnlySpan<float> parameters)
    {
        for (int r = 0; r < Resources.Count; r++)
        {
            w.Write(n.Mean[r]);
            w.Write(n.Scale[r]);
            w.Write(n.MaxLog[r]);
        }

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
        var options = new LstmOptions(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
        return (horizon, levels, options);
    }

    /// <summary>Reads normalisation and weights into <paramref name="parameters"/>; fails on a count mismatch or a non-finite weight.</summary>
    public static LstmNormaliser ReadWeights(BinaryReader reader, string policy, Span<float> parameters)
    {
        Span<float> mean = stackalloc float[Resources.Count];
        Span<float> scale = stackalloc float[Resources.Count];
        Span<float> maxLog = stackalloc float[Resources.Count];
        for (int r = 0; r < Resources.Count; r++)
        {
            mean[r] = reader.ReadSingle();
            scale[r] = reader.ReadSingle();
            maxLog[r] = reader.ReadSingle();
        }

        LstmNormaliser n = LstmNormaliser.From(mean, scale, maxLog);
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

        return n;
    }
}

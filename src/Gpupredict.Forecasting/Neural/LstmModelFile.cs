using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Payload version 1 of a saved <see cref="LstmQuantileForecaster"/>, after the <see cref="ForecasterFile"/>
/// envelope: horizon (int32), level count (int32) and levels (float64 each), the <see cref="LstmOptions"/>
/// fields in declaration order (5 × int32, 2 × float32), per-resource normalisation mean and scale
/// (3 × 2 float32), the parameter count (int32) and the parameters (float32, <see cref="LstmLayout"/> order).
/// </summary>
internal static class LstmModelFile
{
    public const ushort PayloadVersion = 1;

    public static void Save(Stream destination, LstmLayout layout, LstmOptions o, LstmNormaliser n, ReadOnlySpan<float> parameters)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, LstmQuantileForecaster.PolicyName, PayloadVersion);
        w.Write(layout.Horizon);
        w.Write(layout.LevelCount);
        foreach (double level in layout.Levels)
        {
            w.Write(level);
        }

        w.Write(o.Hidden);
        w.Write(o.Window);
        w.Write(o.BurnIn);
        w.Write(o.BatchSize);
        w.Write(o.TrainingSteps);
        w.Write(o.LearningRate);
        w.Write(o.ClipNorm);
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

    /// <summary>Reads the horizon, levels and options; the constructor validates them.</summary>
    public static (int Horizon, double[] Levels, LstmOptions Options) ReadShape(BinaryReader reader, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(LstmQuantileForecaster.PolicyName, payloadVersion, PayloadVersion);
        int horizon = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (count is < 1 or > 64)
        {
            throw new ForecasterFormatException($"saved '{LstmQuantileForecaster.PolicyName}' forecaster has {count} quantile levels, expected 1..64");
        }

        double[] levels = new double[count];
        for (int i = 0; i < levels.Length; i++)
        {
            levels[i] = reader.ReadDouble();
        }

        var options = new LstmOptions(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
        return (horizon, levels, options);
    }

    /// <summary>Reads normalisation and weights into <paramref name="parameters"/>; fails on a count mismatch or a non-finite weight.</summary>
    public static LstmNormaliser ReadWeights(BinaryReader reader, Span<float> parameters)
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
            throw new ForecasterFormatException($"saved '{LstmQuantileForecaster.PolicyName}' forecaster has {count} parameters; its shape needs {parameters.Length}");
        }

        for (int i = 0; i < count; i++)
        {
            float p = reader.ReadSingle();
            if (!float.IsFinite(p))
            {
                throw new ForecasterFormatException($"saved '{LstmQuantileForecaster.PolicyName}' forecaster has parameter [{i}] = {p}");
            }

            parameters[i] = p;
        }

        return n;
    }
}

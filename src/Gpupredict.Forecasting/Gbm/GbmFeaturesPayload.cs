using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// The feature settings a saved GBM model was trained with. Boosters index features by column, so
/// a model is only usable with the exact layout of <see cref="GbmFeatures"/>; loading checks it.
/// </summary>
internal static class GbmFeaturesPayload
{
    /// <summary>Writes the lags, windows, burst threshold and cap, and the feature count.</summary>
    public static void Write(BinaryWriter writer)
    {
        WriteInts(writer, GbmFeatures.Lags);
        WriteInts(writer, GbmFeatures.Windows);
        writer.Write(GbmFeatures.BurstThreshold);
        writer.Write(GbmFeatures.BurstCap);
        writer.Write(GbmFeatures.Count);
    }

    /// <summary>Reads what <see cref="Write"/> wrote and fails unless it is this build's layout.</summary>
    /// <exception cref="ForecasterFormatException">The saved settings differ; the message shows both.</exception>
    public static void ReadAndCheck(BinaryReader reader, string policy)
    {
        Check(policy, "lags", ReadInts(reader), GbmFeatures.Lags);
        Check(policy, "windows", ReadInts(reader), GbmFeatures.Windows);
        double threshold = reader.ReadDouble();
        int cap = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (threshold != GbmFeatures.BurstThreshold || cap != GbmFeatures.BurstCap || count != GbmFeatures.Count)
        {
            throw new ForecasterFormatException(
                $"saved '{policy}' forecaster has burst threshold {threshold}, cap {cap}, {count} features; this build uses {GbmFeatures.BurstThreshold}, {GbmFeatures.BurstCap}, {GbmFeatures.Count}");
        }
    }

    private static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        foreach (int v in values)
        {
            writer.Write(v);
        }
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        if (n is < 0 or > 64)
        {
            throw new ForecasterFormatException($"saved feature list has {n} entries, expected 0..64");
        }

        int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = reader.ReadInt32();
        }

        return values;
    }

    private static void Check(string policy, string what, int[] saved, ReadOnlySpan<int> current)
    {
        if (!current.SequenceEqual(saved))
        {
            throw new ForecasterFormatException(
                $"saved '{policy}' forecaster uses {what} [{string.Join(", ", saved)}]; this build uses [{string.Join(", ", current.ToArray())}]");
        }
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Persistence;

/// <summary>The horizon and quantile levels every forecaster validates, saves first and reads back.</summary>
internal static class LevelsPayload
{
    private const int MaxLevels = 64;

    /// <summary>A copy of <paramref name="levels"/>, validated with <see cref="Forecast"/>'s own rules and messages.</summary>
    public static double[] Validated(IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        double[] copy = [.. levels];
        _ = new Forecast(default, 0, 1, copy, new double[copy.Length * Resources.Count]);
        return copy;
    }

    /// <summary>Writes the horizon, the level count and the levels.</summary>
    public static void Write(BinaryWriter writer, int horizon, ReadOnlySpan<double> levels)
    {
        writer.Write(horizon);
        writer.Write(levels.Length);
        foreach (double level in levels)
        {
            writer.Write(level);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="ForecasterFormatException">The level count is outside 1..64.</exception>
    public static (int Horizon, double[] Levels) Read(BinaryReader reader, string policy)
    {
        int horizon = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (count is < 1 or > MaxLevels)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {count} quantile levels, expected 1..{MaxLevels}");
        }

        double[] levels = new double[count];
        for (int i = 0; i < levels.Length; i++)
        {
            levels[i] = reader.ReadDouble();
        }

        return (horizon, levels);
    }
}

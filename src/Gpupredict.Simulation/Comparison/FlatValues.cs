using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Simulation.Comparison;

/// <summary>Builds forecasts whose every quantile level carries the same value (a point mass): the comparison's forecasters know one answer per step.</summary>
internal static class FlatValues
{
    /// <summary>A forecast whose step h is <paramref name="valueAt"/>(h) at every level.</summary>
    public static Forecast Build(AppId app, long originStep, int horizon, double[] levels, Func<int, ResourceVector> valueAt)
    {
        var values = new double[horizon * levels.Length * Resources.Count];
        int i = 0;
        for (int h = 0; h < horizon; h++)
        {
            ResourceVector v = valueAt(h);
            for (int q = 0; q < levels.Length; q++)
            {
                // Equal values across levels are allowed: quantiles must only not cross.
                values[i++] = v.SmFraction;
                values[i++] = v.BandwidthBytesPerSecond;
                values[i++] = v.VramBytes;
            }
        }

        return new Forecast(app, originStep, horizon, levels, values);
    }

    /// <summary>Copies and checks quantile levels: increasing, inside (0, 1).</summary>
    public static double[] Levels(IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        double[] copy = [.. levels];
        if (copy.Length == 0)
        {
            throw new ArgumentException("at least one quantile level is needed", nameof(levels));
        }

        for (int q = 0; q < copy.Length; q++)
        {
            if (!(copy[q] > 0 && copy[q] < 1) || (q > 0 && copy[q] <= copy[q - 1]))
            {
                throw new ArgumentException($"quantile levels must increase inside (0, 1); [{q}] = {copy[q]}", nameof(levels));
            }
        }

        return copy;
    }

    /// <summary>Writes the policy name, a version, the horizon, the levels and the policy's settings: enough to tell what ran.</summary>
    public static void Save(Stream destination, string policy, int horizon, double[] levels, params double[] settings)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var w = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(policy);
        w.Write((ushort)1);
        w.Write(horizon);
        w.Write(levels.Length);
        foreach (double level in levels)
        {
            w.Write(level);
        }

        w.Write(settings.Length);
        foreach (double setting in settings)
        {
            w.Write(setting);
        }
    }
}

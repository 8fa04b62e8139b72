using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>Forecasts whose every quantile level carries the same value (a point mass): the comparison baselines know one answer per step.</summary>
internal static class FlatValues
{
    /// <summary>Writes step h = <paramref name="valueAt"/>(h) at every level into <paramref name="values"/>, laid out [horizon][level][resource].</summary>
    public static void Fill(Span<double> values, int horizon, int levels, Func<int, ResourceVector> valueAt)
    {
        int i = 0;
        for (int h = 0; h < horizon; h++)
        {
            ResourceVector v = valueAt(h);
            for (int q = 0; q < levels; q++)
            {
                // Equal values across levels are allowed: quantiles must only not cross.
                values[i++] = v.SmFraction;
                values[i++] = v.BandwidthBytesPerSecond;
                values[i++] = v.VramBytes;
            }
        }
    }

    /// <summary>A forecast whose step h is <paramref name="valueAt"/>(h) at every level.</summary>
    public static Forecast Build(AppId app, long originStep, int horizon, double[] levels, Func<int, ResourceVector> valueAt)
    {
        var values = new double[horizon * levels.Length * Resources.Count];
        Fill(values, horizon, levels.Length, valueAt);
        return new Forecast(app, originStep, horizon, levels, values);
    }
}

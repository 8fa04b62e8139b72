using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Builds the forecasts of the recommender baselines, which give one answer for the whole horizon:
/// the caller fills step 0 ([level][resource]); values are clamped to each resource's range (SM
/// fraction to [0, 1], the others to ≥ 0), made non-decreasing in the level, and repeated.
/// </summary>
internal static class FlatForecast
{
    /// <summary>A zeroed [horizon][level][resource] buffer for <see cref="Build"/>.</summary>
    public static double[] NewValues(int horizon, int levelCount) => new double[horizon * levelCount * Resources.Count];

    /// <summary>Sets step 0's value of level <paramref name="q"/> and <paramref name="resource"/>.</summary>
    public static void Set(double[] values, int q, Resource resource, double value) => values[(q * Resources.Count) + (int)resource] = value;

    /// <summary>Clamps and orders step 0, copies it to every later step and builds the forecast.</summary>
    public static Forecast Build(AppId app, long originStep, int horizon, double[] levels, double[] values)
    {
        int perStep = levels.Length * Resources.Count;
        foreach (Resource resource in Resources.All)
        {
            double floor = double.NegativeInfinity;
            for (int q = 0; q < levels.Length; q++)
            {
                int i = (q * Resources.Count) + (int)resource;
                // Clamping keeps every value in range; the running maximum keeps levels from crossing.
                floor = Math.Max(floor, Clamp(resource, values[i]));
                values[i] = floor;
            }
        }

        Span<double> first = values.AsSpan(0, perStep);
        for (int h = 1; h < horizon; h++)
        {
            first.CopyTo(values.AsSpan(h * perStep, perStep));
        }

        return new Forecast(app, originStep, horizon, levels, values);
    }

    /// <summary><paramref name="value"/> clamped to the range of <paramref name="resource"/>.</summary>
    public static double Clamp(Resource resource, double value) =>
        resource == Resource.Sm ? Math.Clamp(value, 0, 1) : Math.Max(0, value);
}

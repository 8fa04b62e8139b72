using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// How every neural forecaster (<see cref="MlpQuantileForecaster"/>, the recurrent ones and the
/// Transformer) makes each application's values unit-free: a resource's
/// raw value x becomes u (x itself, or log1p(x) for bytes when <see cref="MlpOptions.LogBytes"/>),
/// and u is divided by the application's scale s = max(floor, running peak |u|). Going back, u = z·s
/// is held to [0, the peak's headroom] (a forecast far above anything the application recently used
/// is an extrapolation, and exp would turn it into petabytes), then mapped to raw units and clamped
/// to the resource's range. Every step is monotone, so quantiles stay ordered.
/// </summary>
internal static class MlpScaling
{
    /// <summary>How far above the application's running peak a forecast may go: ×4 in raw units.</summary>
    public const float Headroom = 4f;

    /// <summary>The smallest spread, as a fraction of the scale: a flat history still gets an interval, a narrow one.</summary>
    public const float MinSpread = 0.02f;

    /// <summary>Weight of the newest |Δu| in the volatility.</summary>
    public const float VolatilityAlpha = 0.1f;

    private static readonly float LogHeadroom = MathF.Log(Headroom);

    /// <summary>
    /// Feeds one step's transformed value <paramref name="u"/> of one resource to an application's
    /// running state: the peak |u| (decayed by <paramref name="decay"/> each step), the EWMA of |Δu|
    /// (the volatility) and the newest u. The <paramref name="first"/> step sets the peak to |u| and the volatility to 0.
    /// </summary>
    public static void Advance(float u, bool first, float decay, ref float peak, ref float volatility, ref float newest)
    {
        if (first)
        {
            peak = MathF.Abs(u);
            volatility = 0f;
        }
        else
        {
            volatility += VolatilityAlpha * (MathF.Abs(u - newest) - volatility);
            peak = MathF.Max(MathF.Abs(u), peak * decay);
        }

        newest = u;
    }

    /// <summary>The application's scale of resource <paramref name="r"/>: its running peak, floored.</summary>
    public static float Scale(int r, float peak, bool logBytes) => MathF.Max(Floor(r, logBytes), peak);

    /// <summary>The unit of a network's changes and interval steps, in scaled units: the volatility over the scale plus <see cref="MinSpread"/>.</summary>
    public static float Spread(float volatility, float scale) => (volatility * (1f / scale)) + MinSpread;

    /// <summary>The smallest scale of resource <paramref name="r"/>: SM 1 %, bytes 1 MB (or 1 in log1p units).</summary>
    public static float Floor(int r, bool logBytes) => r == (int)Resource.Sm ? 0.01f : logBytes ? 1f : 1e6f;

    /// <summary>u of raw value <paramref name="x"/> of resource <paramref name="r"/> (negative values count as 0).</summary>
    public static float Transform(int r, float x, bool logBytes)
    {
        x = MathF.Max(x, 0f);
        return r != (int)Resource.Sm && logBytes ? MathF.Log(1f + x) : x;
    }

    /// <summary>The largest u a forecast of resource <paramref name="r"/> may take at the application's scale: ×<see cref="Headroom"/> in raw units.</summary>
    public static float Ceiling(int r, float scale, bool logBytes) => r != (int)Resource.Sm && logBytes ? scale + LogHeadroom : Headroom * scale;

    /// <summary>The raw value of scaled value <paramref name="z"/> of resource <paramref name="r"/> given the application's scale (its floored running peak).</summary>
    public static float Inverse(int r, float z, float scale, bool logBytes)
    {
        float u = Math.Clamp(z * scale, 0f, Ceiling(r, scale, logBytes));
        if (r != (int)Resource.Sm && logBytes)
        {
            return MathF.Max(MathF.Exp(u) - 1f, 0f);
        }

        return r == (int)Resource.Sm ? MathF.Min(u, 1f) : u;
    }
}

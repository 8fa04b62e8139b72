using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// A training series as the sequence forecasters read it, walked from its first step exactly as a
/// stream would be: per step the <see cref="StepFeatures"/>, the scaling (base, spread and scale per
/// resource) and the transformed values u, so the loss can score a forecast made at step a against
/// the next steps on step a's scale.
/// </summary>
internal sealed class ScaledSeries
{
    private ScaledSeries(int steps)
    {
        Steps = steps;
        Features = new float[steps * StepFeatures.Count];
        Scaling = new float[steps * StepFeatures.ScalingCount];
        Values = new float[steps * Resources.Count];
    }

    /// <summary>Steps in the series.</summary>
    public int Steps { get; }

    /// <summary>Steps × <see cref="StepFeatures.Count"/>.</summary>
    public float[] Features { get; }

    /// <summary>Steps × <see cref="StepFeatures.ScalingCount"/>: base, spread and scale per resource.</summary>
    public float[] Scaling { get; }

    /// <summary>Steps × 3 transformed values u.</summary>
    public float[] Values { get; }

    /// <summary>Walks <paramref name="series"/> from its first step with running-peak decay <paramref name="decay"/>.</summary>
    public static ScaledSeries Build(DemandSeries series, float decay)
    {
        var s = new ScaledSeries(series.Count);
        Span<float> peak = stackalloc float[3], volatility = stackalloc float[3], newest = stackalloc float[3], raw = stackalloc float[3];
        ReadOnlySpan<double> sm = series.Values(Resource.Sm), bandwidth = series.Values(Resource.MemoryBandwidth), vram = series.Values(Resource.Vram);
        for (int t = 0; t < series.Count; t++)
        {
            // Rounded to float first, as a stream receives them.
            raw[0] = (float)sm[t];
            raw[1] = (float)bandwidth[t];
            raw[2] = (float)vram[t];
            StepFeatures.OfStep(raw, decay, t == 0, peak, volatility, newest, s.Features.AsSpan(t * StepFeatures.Count, StepFeatures.Count));
            StepFeatures.Scaling(peak, volatility, newest, s.Scaling.AsSpan(t * StepFeatures.ScalingCount, StepFeatures.ScalingCount));
            newest.CopyTo(s.Values.AsSpan(t * 3, 3));
        }

        return s;
    }

    /// <summary>
    /// The target of a forecast made at step <paramref name="a"/> for step <paramref name="a"/> + 1 +
    /// <paramref name="k"/> of resource <paramref name="r"/>, on step a's scale and capped at the
    /// forecast's ceiling (<see cref="MlpScaling.Ceiling"/>), so a jump the application never made before weighs no more than the headroom.
    /// </summary>
    public float Target(int a, int k, int r)
    {
        float scale = Scaling[(a * StepFeatures.ScalingCount) + 6 + r];
        return MathF.Min(Values[((a + 1 + k) * 3) + r], MlpScaling.Ceiling(r, scale, logBytes: false)) * (1f / scale);
    }
}

using System.Numerics.Tensors;
using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Maps raw demand to the network's space and back, per resource. SM fraction is used as it is;
/// bandwidth and VRAM (bytes, spanning many decades) become <c>(log1p(x) − mean) / scale</c> with the
/// mean and standard deviation of the training data. Both directions are monotone, so quantiles
/// stay ordered; <see cref="Denormalise"/> clamps to each resource's range and, for bytes, to
/// <see cref="Headroom"/> times the largest training value: exp turns a modest overshoot of an upper
/// quantile in log space into petabytes, which no application demands.
/// </summary>
internal sealed class LstmNormaliser
{
    /// <summary>Largest log1p value de-normalised: e^60 ≈ 1e26 bytes keeps every value finite in float.</summary>
    private const float LogCeiling = 60f;


    /// <summary>How far above the largest training value a de-normalised bytes value may go (x4).</summary>
    public const float Headroom = 4f;

    private readonly float[] _mean = new float[Resources.Count];
    private readonly float[] _scale = [1f, 1f, 1f];
    private readonly float[] _maxLog = [LogCeiling, LogCeiling, LogCeiling];

    /// <summary>The identity for SM and log1p without shifting for bytes: used before any fit.</summary>
    public LstmNormaliser()
    {
    }

    /// <summary>The per-resource offsets.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The per-resource scales, each &gt; 0.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>Per resource, the largest log1p value a bytes forecast may take (training max + ln(<see cref="Headroom"/>)).</summary>
    public ReadOnlySpan<float> MaxLog => _maxLog;

    /// <summary>Fits the bytes resources' mean and scale on every step of <paramref name="training"/>.</summary>
    public static LstmNormaliser Fit(IReadOnlyList<DemandSeries> training)
    {
        var n = new LstmNormaliser();
        for (int r = 1; r < Resources.Count; r++)
        {
            double sum = 0, sumSq = 0, max = 0;
            long count = 0;
            foreach (DemandSeries s in training)
            {
                foreach (double x in s.Values((Resource)r))
                {
                    double v = Math.Log(1 + x);
                    sum += v;
                    sumSq += v * v;
                    max = Math.Max(max, v);
                    count++;
                }
            }

            double mean = count == 0 ? 0 : sum / count;
            double variance = count == 0 ? 1 : Math.Max(0, (sumSq / count) - (mean * mean));
            n._mean[r] = (float)mean;
            n._scale[r] = (float)Math.Max(Math.Sqrt(variance), 1e-3);
            n._maxLog[r] = count == 0 ? LogCeiling : (float)Math.Min(LogCeiling, max + Math.Log(Headroom));
        }

        return n;
    }

    /// <summary>A normaliser with the given parameters (from a saved model).</summary>
    public static LstmNormaliser From(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, ReadOnlySpan<float> maxLog)
    {
        var n = new LstmNormaliser();
        for (int r = 0; r < Resources.Count; r++)
        {
            if (!float.IsFinite(mean[r]) || !(scale[r] > 0 && float.IsFinite(scale[r])))
            {
                throw new ArgumentException($"normalisation of {(Resource)r}: mean {mean[r]}, scale {scale[r]}; the scale must be finite and > 0");
            }

            if (!(maxLog[r] >= 0 && maxLog[r] <= LogCeiling))
            {
                throw new ArgumentException($"normalisation of {(Resource)r}: largest log value {maxLog[r]} is outside [0, {LogCeiling}]");
            }

            n._mean[r] = mean[r];
            n._scale[r] = scale[r];
            n._maxLog[r] = maxLog[r];
        }

        return n;
    }

    /// <summary>The network-space value of raw <paramref name="value"/> of resource <paramref name="r"/>.</summary>
    public float Normalise(int r, double value)
    {
        double v = r == (int)Resource.Sm ? value : Math.Log(1 + Math.Max(0, value));
        return (float)((v - _mean[r]) / _scale[r]);
    }

    /// <summary>Maps network-space values of resource <paramref name="r"/> back to raw units in place, clamped to the resource's range.</summary>
    public void Denormalise(int r, Span<float> values)
    {
        TensorPrimitives.Multiply(values, _scale[r], values);
        TensorPrimitives.Add(values, _mean[r], values);
        if (r == (int)Resource.Sm)
        {
            TensorPrimitives.Max(values, 0f, values);
            TensorPrimitives.Min(values, 1f, values);
            return;
        }

        TensorPrimitives.Min(values, _maxLog[r], values);
        TensorPrimitives.Exp(values, values);
        TensorPrimitives.Subtract(values, 1f, values);
        TensorPrimitives.Max(values, 0f, values);
    }
}

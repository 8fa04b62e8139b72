using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The per-step inputs of the sequence forecasters (LSTM, GRU, Elman RNN, Transformer), one
/// definition for training series (<see cref="ScaledSeries"/>) and for streaming: per resource, the
/// newest value over the application's own scale (<see cref="MlpScaling"/>: its running peak, so an
/// application never seen before reads on the same footing as the training ones from its first
/// step), its change from the step before over the same scale (0 on the first step), and its
/// volatility over the scale. Changing them changes what every saved sequence model means: bump
/// the payload versions of those models with them.
/// </summary>
internal static class StepFeatures
{
    /// <summary>Features per step: per resource the scaled value, its scaled change and its scaled volatility.</summary>
    public const int Count = 3 * Resources.Count;

    /// <summary>
    /// Floats per step of <see cref="Scaling"/>: per resource the base (newest value over the
    /// scale), the spread (<see cref="MlpScaling.Spread"/>) and the scale.
    /// </summary>
    public const int ScalingCount = 3 * Resources.Count;

    /// <summary>
    /// Feeds one raw step (SM fraction, bytes/s, bytes) to an application's running state
    /// (<paramref name="peak"/>, <paramref name="volatility"/>, <paramref name="newest"/>: 3 each, per
    /// resource; the <paramref name="first"/> step starts them) and writes the step's features into <paramref name="x"/>.
    /// </summary>
    public static void OfStep(ReadOnlySpan<float> raw, float decay, bool first, Span<float> peak, Span<float> volatility, Span<float> newest, Span<float> x)
    {
        for (int r = 0; r < Resources.Count; r++)
        {
            float u = MlpScaling.Transform(r, raw[r], logBytes: false);
            float previous = newest[r];
            MlpScaling.Advance(u, first, decay, ref peak[r], ref volatility[r], ref newest[r]);
            float inv = 1f / MlpScaling.Scale(r, peak[r], logBytes: false);
            x[r] = u * inv;
            x[3 + r] = first ? 0f : (u - previous) * inv;
            x[6 + r] = volatility[r] * inv;
        }
    }

    /// <summary>Writes the base, spread and scale of each resource (<see cref="ScalingCount"/> floats) of an application's running state.</summary>
    public static void Scaling(ReadOnlySpan<float> peak, ReadOnlySpan<float> volatility, ReadOnlySpan<float> newest, Span<float> scaling)
    {
        for (int r = 0; r < Resources.Count; r++)
        {
            float scale = MlpScaling.Scale(r, peak[r], logBytes: false);
            scaling[r] = newest[r] * (1f / scale);
            scaling[3 + r] = MlpScaling.Spread(volatility[r], scale);
            scaling[6 + r] = scale;
        }
    }
}

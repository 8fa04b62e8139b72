using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The per-step inputs of every neural forecaster (LSTM, GRU, Elman RNN, Transformer), one
/// definition for training windows and for streaming: the 3 resources as
/// <see cref="LstmNormaliser"/> maps them, then each one's change from the step before (0 on a
/// series' first step). Changing them changes what every saved neural model means: bump
/// <see cref="Persistence.ForecasterFile.FeatureSetVersion"/> with them.
/// </summary>
internal static class StepFeatures
{
    /// <summary>Features per step: the 3 normalised resources and their step-to-step deltas.</summary>
    public const int Count = 2 * Resources.Count;

    /// <summary>Writes the features of step <paramref name="a"/> of a normalised series (steps × 3) into <paramref name="x"/>.</summary>
    public static void OfSeries(ReadOnlySpan<float> series, int a, Span<float> x)
    {
        for (int r = 0; r < 3; r++)
        {
            float v = series[(a * 3) + r];
            x[r] = v;
            x[3 + r] = a > 0 ? v - series[((a - 1) * 3) + r] : 0f;
        }
    }

    /// <summary>
    /// Writes the features of a streamed step (<paramref name="normalised"/>: 3 values) into
    /// <paramref name="x"/>, the deltas against <paramref name="previous"/> unless this is the
    /// series' <paramref name="first"/> step, and keeps the values in <paramref name="previous"/> for the next.
    /// </summary>
    public static void OfStep(ReadOnlySpan<float> normalised, Span<float> previous, bool first, Span<float> x)
    {
        for (int r = 0; r < 3; r++)
        {
            float v = normalised[r];
            x[r] = v;
            x[3 + r] = first ? 0f : v - previous[r];
            previous[r] = v;
        }
    }
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One network row of <see cref="MlpQuantileForecaster"/>: what the model reads about one resource
/// of one application at its newest step, every value divided by the application's scale s (so the
/// row has no units): the lookback as differences from the newest value (newest first, L − 1
/// values), the newest value, the EWMA level minus the newest value, the volatility, how full the
/// lookback is (0..1), the resource as three indicators, and, when the model reads activity, each
/// activity channel's log1p in the newest step over the application's running peak of it. The same function builds rows for
/// training and for streaming.
/// </summary>
internal static class MlpFeatures
{
    /// <summary>
    /// Writes the row of resource <paramref name="r"/> of <paramref name="slot"/> into <paramref name="x"/> (F values); returns the
    /// base, the spread (the volatility plus <see cref="MlpScaling.MinSpread"/>, scaled: the unit of the network's changes and
    /// interval steps, so a history that never moved is forecast as it is) and the scale.
    /// </summary>
    public static (float Base, float Spread, float Scale) Row(MlpSlots slots, int slot, int r, MlpLayout l, MlpOptions o, Span<float> x)
    {
        int lookback = l.Lookback;
        bool logBytes = o.LogBytes;
        int at = (slot * 3) + r;
        float scale = MlpScaling.Scale(r, slots.Peak[at], logBytes);
        float inv = 1f / scale;
        float newest = slots.Newest[at] * inv;
        ReadOnlySpan<float> ring = slots.Ring.AsSpan(at * lookback, lookback);
        int newestAt = (slots.Next[slot] + lookback - 1) % lookback;
        for (int k = 1; k < lookback; k++)
        {
            int position = newestAt - k;
            x[k - 1] = (ring[position < 0 ? position + lookback : position] * inv) - newest;
        }

        float level = slots.Level[at] * inv;
        Span<float> extra = x.Slice(lookback - 1, MlpLayout.Extra);
        extra[0] = newest;
        extra[1] = level - newest;
        extra[2] = slots.Volatility[at] * inv;
        extra[3] = Math.Min(slots.Seen[slot], lookback) / (float)lookback;
        extra[4] = r == 0 ? 1f : 0f;
        extra[5] = r == 1 ? 1f : 0f;
        extra[6] = r == 2 ? 1f : 0f;
        if (l.Activity)
        {
            // Each channel's log1p over the application's own running peak of it: 0..1, unit-free.
            Span<float> activity = x.Slice(lookback - 1 + MlpLayout.Extra, MlpLayout.ActivityInputs);
            for (int c = 0; c < activity.Length; c++)
            {
                int channel = (slot * MlpLayout.ActivityInputs) + c;
                activity[c] = slots.Activity[channel] / MathF.Max(1f, slots.ActivityPeak[channel]);
            }
        }

        return (o.Base == MlpBase.Last ? newest : level, MlpScaling.Spread(slots.Volatility[at], scale), scale);
    }
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application state of <see cref="MlpQuantileForecaster"/> in flat arrays indexed by slot, per
/// resource: a ring of the last L transformed values u (<see cref="MlpScaling"/>; filled with the
/// first value on the first step, so a young application's lookback is padded with it), the
/// running peak |u| with decay (the scale), the running EWMA level, the running mean |Δu|
/// (volatility) and the newest u; per slot the ring position, steps seen, the last step, and each
/// activity channel's newest log1p value and decayed running peak (zeros when activity is unknown),
/// with activity a batch staged for the slot's next step.
/// Training walks a series through one slot of the same table, so the network sees in training
/// exactly what it sees when streaming. Slots of forgotten applications are reused; the arrays grow
/// (doubling) only when an application is added, never while stepping.
/// </summary>
internal sealed class MlpSlots : SlotTable
{
    private const int Resources = 3;
    private const int Channels = MlpLayout.ActivityInputs;

    private readonly int _lookback;

    public MlpSlots(int lookback, int capacity = 16)
    {
        _lookback = lookback;
        GrowTo(capacity);
    }

    /// <summary>Transformed values, capacity × 3 × L; position <see cref="Next"/> of a slot is its oldest.</summary>
    public float[] Ring { get; private set; } = [];

    /// <summary>Running peak |u| per slot and resource, decayed each step.</summary>
    public float[] Peak { get; private set; } = [];

    /// <summary>Running EWMA of u per slot and resource.</summary>
    public float[] Level { get; private set; } = [];

    /// <summary>Running EWMA of |u − previous u| per slot and resource.</summary>
    public float[] Volatility { get; private set; } = [];

    /// <summary>The newest u per slot and resource.</summary>
    public float[] Newest { get; private set; } = [];

    /// <summary>Where each slot's next value goes in its rings.</summary>
    public int[] Next { get; private set; } = [];

    /// <summary>Steps seen (saturating).</summary>
    public int[] Seen { get; private set; } = [];

    /// <summary>Last step per slot; −1 before the first.</summary>
    public long[] LastStep { get; private set; } = [];

    /// <summary>log1p of each activity channel in the newest step, capacity × 12 (0 when unknown).</summary>
    public float[] Activity { get; private set; } = [];

    /// <summary>Running peak of each channel's log1p value, decayed each step.</summary>
    public float[] ActivityPeak { get; private set; } = [];

    /// <summary>Activity handed in for a slot's next step by a batch (<see cref="Stage"/>), capacity × 12.</summary>
    public float[] Staged { get; private set; } = [];

    /// <summary>Whether a slot has staged activity for its next step.</summary>
    public bool[] HasStaged { get; private set; } = [];

    /// <summary>Holds <paramref name="activity"/> (12 raw values) for <paramref name="slot"/>'s next <see cref="Push"/> without one.</summary>
    public void Stage(int slot, ReadOnlySpan<double> activity)
    {
        Span<float> staged = Staged.AsSpan(slot * Channels, Channels);
        for (int c = 0; c < Channels; c++)
        {
            staged[c] = (float)activity[c];
        }

        HasStaged[slot] = true;
    }

    /// <summary>
    /// Feeds one step of transformed values (3, one per resource) to <paramref name="slot"/>, with its raw
    /// activity (12 values; empty: the staged activity if any, else unknown, read as none).
    /// </summary>
    public void Push(int slot, ReadOnlySpan<float> u, float decay, float alpha, ReadOnlySpan<float> activity)
    {
        if (activity.IsEmpty && HasStaged[slot])
        {
            activity = Staged.AsSpan(slot * Channels, Channels);
        }

        Span<float> newest = Activity.AsSpan(slot * Channels, Channels);
        Span<float> peak = ActivityPeak.AsSpan(slot * Channels, Channels);
        for (int c = 0; c < Channels; c++)
        {
            float a = activity.IsEmpty ? 0f : MathF.Log(1f + MathF.Max(activity[c], 0f));
            newest[c] = a;
            peak[c] = Seen[slot] == 0 ? a : MathF.Max(a, peak[c] * decay);
        }

        HasStaged[slot] = false;
        int l = _lookback, next = Next[slot];
        for (int r = 0; r < Resources; r++)
        {
            int at = (slot * Resources) + r;
            Span<float> ring = Ring.AsSpan(at * l, l);
            float x = u[r];
            if (Seen[slot] == 0)
            {
                ring.Fill(x);
                Level[at] = x;
            }
            else
            {
                Level[at] += alpha * (x - Level[at]);
                ring[next] = x;
            }

            MlpScaling.Advance(x, Seen[slot] == 0, decay, ref Peak[at], ref Volatility[at], ref Newest[at]);
        }

        Next[slot] = (next + 1) % l;
        Seen[slot] = Seen[slot] == int.MaxValue ? int.MaxValue : Seen[slot] + 1;
    }

    /// <inheritdoc />
    protected override void Reset(int slot)
    {
        Ring.AsSpan(slot * Resources * _lookback, Resources * _lookback).Clear();
        foreach (float[] a in (ReadOnlySpan<float[]>)[Peak, Level, Volatility, Newest])
        {
            a.AsSpan(slot * Resources, Resources).Clear();
        }

        Activity.AsSpan(slot * Channels, Channels).Clear();
        ActivityPeak.AsSpan(slot * Channels, Channels).Clear();
        HasStaged[slot] = false;
        Next[slot] = 0;
        Seen[slot] = 0;
        LastStep[slot] = -1;
    }

    /// <inheritdoc />
    protected override void Resize(int capacity)
    {
        Ring = Grow(Ring, capacity * Resources * _lookback);
        Peak = Grow(Peak, capacity * Resources);
        Level = Grow(Level, capacity * Resources);
        Volatility = Grow(Volatility, capacity * Resources);
        Newest = Grow(Newest, capacity * Resources);
        Next = Grow(Next, capacity);
        Seen = Grow(Seen, capacity);
        LastStep = Grow(LastStep, capacity);
        Activity = Grow(Activity, capacity * Channels);
        ActivityPeak = Grow(ActivityPeak, capacity * Channels);
        Staged = Grow(Staged, capacity * Channels);
        HasStaged = Grow(HasStaged, capacity);
    }
}

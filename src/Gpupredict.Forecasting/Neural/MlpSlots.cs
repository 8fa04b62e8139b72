namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application state of <see cref="MlpQuantileForecaster"/> in flat arrays indexed by slot, per
/// resource: a ring of the last L transformed values u (<see cref="MlpScaling"/>; filled with the
/// first value on the first step, so a young application's lookback is padded with it), the
/// running peak |u| with decay (the scale), the running EWMA level, the running mean |Δu|
/// (volatility) and the newest u; per slot the ring position, steps seen and the last step.
/// Training walks a series through one slot of the same table, so the network sees in training
/// exactly what it sees when streaming. Slots of forgotten applications are reused; the arrays grow
/// (doubling) only when an application is added, never while stepping.
/// </summary>
internal sealed class MlpSlots : SlotTable
{
    /// <summary>Weight of the newest |Δu| in the volatility.</summary>
    private const float VolatilityAlpha = 0.1f;

    private const int Resources = 3;

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

    /// <summary>Feeds one step of transformed values (3, one per resource) to <paramref name="slot"/>.</summary>
    public void Push(int slot, ReadOnlySpan<float> u, float decay, float alpha)
    {
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
                Peak[at] = MathF.Abs(x);
                Volatility[at] = 0f;
            }
            else
            {
                Volatility[at] += VolatilityAlpha * (MathF.Abs(x - Newest[at]) - Volatility[at]);
                Level[at] += alpha * (x - Level[at]);
                Peak[at] = MathF.Max(MathF.Abs(x), Peak[at] * decay);
                ring[next] = x;
            }

            Newest[at] = x;
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
    }
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application streaming state of the Transformer forecaster in flat arrays indexed by slot: a
/// ring of the last W steps' features (W × <see cref="StepFeatures.Count"/> floats, zero until
/// written), the next ring position, the last normalised input (for the deltas), the number of
/// steps seen (capped at W) and the last step. Slots of forgotten applications are reused; the
/// arrays grow (doubling) only when an application is added, never while stepping.
/// </summary>
internal sealed class TransformerSlots : SlotTable
{
    private readonly int _window;

    public TransformerSlots(int window, int capacity = 16)
    {
        _window = window;
        GrowTo(capacity);
    }

    /// <summary>Features of the last W steps, capacity × W × Features; ring position <see cref="Next"/> is the oldest.</summary>
    public float[] Ring { get; private set; } = [];

    /// <summary>Where each slot's next step goes in its ring.</summary>
    public int[] Next { get; private set; } = [];

    /// <summary>Steps seen, capped at W.</summary>
    public int[] Filled { get; private set; } = [];

    /// <summary>Last normalised input, capacity × 3.</summary>
    public float[] Previous { get; private set; } = [];

    /// <summary>Last step per slot; −1 before the first.</summary>
    public long[] LastStep { get; private set; } = [];

    /// <summary>Floats of one slot's ring.</summary>
    public int RingLength => _window * StepFeatures.Count;

    /// <summary>Appends one step's features (v, v − previous v; the delta is 0 on the first step) to the slot's ring.</summary>
    public void Push(int slot, ReadOnlySpan<float> normalised)
    {
        int features = StepFeatures.Count;
        Span<float> row = Ring.AsSpan((slot * RingLength) + (Next[slot] * features), features);
        StepFeatures.OfStep(normalised, Previous.AsSpan(slot * 3, 3), first: Filled[slot] == 0, row);

        Next[slot] = (Next[slot] + 1) % _window;
        Filled[slot] = Math.Min(Filled[slot] + 1, _window);
    }

    /// <summary>Copies the slot's window, oldest first, into <paramref name="x"/> (W × Features); steps never seen are zeros.</summary>
    public void Window(int slot, Span<float> x)
    {
        int features = StepFeatures.Count, next = Next[slot];
        ReadOnlySpan<float> ring = Ring.AsSpan(slot * RingLength, RingLength);
        ring[(next * features)..].CopyTo(x);
        ring[..(next * features)].CopyTo(x[(RingLength - (next * features))..]);
    }

    /// <inheritdoc />
    protected override void Reset(int slot)
    {
        Ring.AsSpan(slot * RingLength, RingLength).Clear();
        Previous.AsSpan(slot * 3, 3).Clear();
        Next[slot] = 0;
        Filled[slot] = 0;
        LastStep[slot] = -1;
    }

    /// <inheritdoc />
    protected override void Resize(int capacity)
    {
        Ring = Grow(Ring, capacity * RingLength);
        Next = Grow(Next, capacity);
        Filled = Grow(Filled, capacity);
        Previous = Grow(Previous, capacity * 3);
        LastStep = Grow(LastStep, capacity);
    }
}

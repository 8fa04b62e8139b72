namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application streaming state of the Transformer forecaster in flat arrays indexed by slot: a
/// ring of the last W steps' features (W × <see cref="StepFeatures.Count"/> floats, zero until
/// written), the next ring position, the application's running scale state per resource (peak,
/// volatility, newest value; <see cref="StepFeatures"/>), the number of steps seen (capped at W) and the last step. Slots of forgotten applications are reused; the
/// arrays grow (doubling) only when an application is added, never while stepping.
/// </summary>
internal sealed class TransformerSlots : SlotTable
{
    private readonly int _window;
    private readonly float _decay;

    public TransformerSlots(int window, float decay, int capacity = 16)
    {
        _window = window;
        _decay = decay;
        GrowTo(capacity);
    }

    /// <summary>Features of the last W steps, capacity × W × Features; ring position <see cref="Next"/> is the oldest.</summary>
    public float[] Ring { get; private set; } = [];

    /// <summary>Where each slot's next step goes in its ring.</summary>
    public int[] Next { get; private set; } = [];

    /// <summary>Steps seen, capped at W.</summary>
    public int[] Filled { get; private set; } = [];

    /// <summary>Running peak per slot and resource, capacity × 3.</summary>
    public float[] Peak { get; private set; } = [];

    /// <summary>Running volatility per slot and resource, capacity × 3.</summary>
    public float[] Volatility { get; private set; } = [];

    /// <summary>Newest transformed value per slot and resource, capacity × 3.</summary>
    public float[] Newest { get; private set; } = [];

    /// <summary>Last step per slot; −1 before the first.</summary>
    public long[] LastStep { get; private set; } = [];

    /// <summary>Floats of one slot's ring.</summary>
    public int RingLength => _window * StepFeatures.Count;

    /// <summary>Appends one raw step's <see cref="StepFeatures"/> (SM fraction, bytes/s, bytes) to the slot's ring, advancing its scale state.</summary>
    public void Push(int slot, ReadOnlySpan<float> raw)
    {
        int features = StepFeatures.Count;
        Span<float> row = Ring.AsSpan((slot * RingLength) + (Next[slot] * features), features);
        StepFeatures.OfStep(raw, _decay, first: Filled[slot] == 0, Peak.AsSpan(slot * 3, 3), Volatility.AsSpan(slot * 3, 3), Newest.AsSpan(slot * 3, 3), row);

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

    /// <summary>Writes the slot's base, spread and scale per resource (<see cref="StepFeatures.ScalingCount"/> floats).</summary>
    public void Scaling(int slot, Span<float> scaling) =>
        StepFeatures.Scaling(Peak.AsSpan(slot * 3, 3), Volatility.AsSpan(slot * 3, 3), Newest.AsSpan(slot * 3, 3), scaling);

    /// <inheritdoc />
    protected override void Reset(int slot)
    {
        Ring.AsSpan(slot * RingLength, RingLength).Clear();
        Peak.AsSpan(slot * 3, 3).Clear();
        Volatility.AsSpan(slot * 3, 3).Clear();
        Newest.AsSpan(slot * 3, 3).Clear();
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
        Peak = Grow(Peak, capacity * 3);
        Volatility = Grow(Volatility, capacity * 3);
        Newest = Grow(Newest, capacity * 3);
        LastStep = Grow(LastStep, capacity);
    }
}

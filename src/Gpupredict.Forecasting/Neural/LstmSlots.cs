namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application recurrent state in flat arrays indexed by slot: h and c (Hidden floats each; c
/// unused by cells without one), the application's running scale state per resource (peak,
/// volatility and newest value, <see cref="StepFeatures"/>), the last step and whether any step was
/// seen. Slots of forgotten applications are reused; the arrays grow (doubling) only when an
/// application is added, never while stepping.
/// </summary>
internal sealed class LstmSlots : SlotTable
{
    private readonly int _hidden;
    private readonly float _decay;

    /// <param name="hidden">Hidden units per slot.</param>
    /// <param name="decay">Per-step decay of each application's running peak.</param>
    /// <param name="capacity">Slots to start with.</param>
    public LstmSlots(int hidden, float decay, int capacity = 16)
    {
        _hidden = hidden;
        _decay = decay;
        GrowTo(capacity);
    }

    /// <summary>Hidden state, capacity × Hidden.</summary>
    public float[] H { get; private set; } = [];

    /// <summary>Cell state, capacity × Hidden.</summary>
    public float[] C { get; private set; } = [];

    /// <summary>Running peak per slot and resource, capacity × 3.</summary>
    public float[] Peak { get; private set; } = [];

    /// <summary>Running volatility per slot and resource, capacity × 3.</summary>
    public float[] Volatility { get; private set; } = [];

    /// <summary>Newest transformed value per slot and resource, capacity × 3.</summary>
    public float[] Newest { get; private set; } = [];

    /// <summary>Last step per slot; −1 before the first.</summary>
    public long[] LastStep { get; private set; } = [];

    /// <summary>Whether the slot has taken at least one step.</summary>
    public bool[] Stepped { get; private set; } = [];

    /// <summary>Writes the slot's <see cref="StepFeatures"/> for one raw step (SM fraction, bytes/s, bytes) into <paramref name="x"/>, advancing its scale state.</summary>
    public void Features(int slot, ReadOnlySpan<float> raw, Span<float> x)
    {
        StepFeatures.OfStep(raw, _decay, first: !Stepped[slot], Peak.AsSpan(slot * 3, 3), Volatility.AsSpan(slot * 3, 3), Newest.AsSpan(slot * 3, 3), x);
        Stepped[slot] = true;
    }

    /// <summary>Writes the slot's base, spread and scale per resource (<see cref="StepFeatures.ScalingCount"/> floats).</summary>
    public void Scaling(int slot, Span<float> scaling) =>
        StepFeatures.Scaling(Peak.AsSpan(slot * 3, 3), Volatility.AsSpan(slot * 3, 3), Newest.AsSpan(slot * 3, 3), scaling);

    /// <inheritdoc />
    protected override void Reset(int slot)
    {
        H.AsSpan(slot * _hidden, _hidden).Clear();
        C.AsSpan(slot * _hidden, _hidden).Clear();
        Peak.AsSpan(slot * 3, 3).Clear();
        Volatility.AsSpan(slot * 3, 3).Clear();
        Newest.AsSpan(slot * 3, 3).Clear();
        LastStep[slot] = -1;
        Stepped[slot] = false;
    }

    /// <inheritdoc />
    protected override void Resize(int capacity)
    {
        H = Grow(H, capacity * _hidden);
        C = Grow(C, capacity * _hidden);
        Peak = Grow(Peak, capacity * 3);
        Volatility = Grow(Volatility, capacity * 3);
        Newest = Grow(Newest, capacity * 3);
        LastStep = Grow(LastStep, capacity);
        Stepped = Grow(Stepped, capacity);
    }
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application recurrent state in flat arrays indexed by slot: h and c (Hidden floats each),
/// the last normalised input (3 floats, for the delta features), the last step and whether any
/// step was seen. Slots of forgotten applications are reused; the arrays grow (doubling) only
/// when an application is added, never while stepping.
/// </summary>
internal sealed class LstmSlots : SlotTable
{
    private readonly int _hidden;

    public LstmSlots(int hidden, int capacity = 16)
    {
        _hidden = hidden;
        GrowTo(capacity);
    }

    /// <summary>Hidden state, capacity × Hidden.</summary>
    public float[] H { get; private set; } = [];

    /// <summary>Cell state, capacity × Hidden.</summary>
    public float[] C { get; private set; } = [];

    /// <summary>Last normalised input, capacity × 3.</summary>
    public float[] Previous { get; private set; } = [];

    /// <summary>Last step per slot; −1 before the first.</summary>
    public long[] LastStep { get; private set; } = [];

    /// <summary>Whether the slot has taken at least one step.</summary>
    public bool[] Stepped { get; private set; } = [];

    /// <summary>Writes the slot's <see cref="StepFeatures"/> for one raw step (SM fraction, bytes/s, bytes) into <paramref name="x"/>, and remembers the step for the next delta.</summary>
    public void Features(LstmNormaliser n, int slot, ReadOnlySpan<float> raw, Span<float> x)
    {
        Span<float> normalised = [n.Normalise(0, raw[0]), n.Normalise(1, raw[1]), n.Normalise(2, raw[2])];
        StepFeatures.OfStep(normalised, Previous.AsSpan(slot * 3, 3), first: !Stepped[slot], x);
        Stepped[slot] = true;
    }

    /// <inheritdoc />
    protected override void Reset(int slot)
    {
        H.AsSpan(slot * _hidden, _hidden).Clear();
        C.AsSpan(slot * _hidden, _hidden).Clear();
        Previous.AsSpan(slot * 3, 3).Clear();
        LastStep[slot] = -1;
        Stepped[slot] = false;
    }

    /// <inheritdoc />
    protected override void Resize(int capacity)
    {
        H = Grow(H, capacity * _hidden);
        C = Grow(C, capacity * _hidden);
        Previous = Grow(Previous, capacity * 3);
        LastStep = Grow(LastStep, capacity);
        Stepped = Grow(Stepped, capacity);
    }
}

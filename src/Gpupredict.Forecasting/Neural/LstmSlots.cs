using Gpupredict.Core.Apps;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Per-application recurrent state in flat arrays indexed by slot: h and c (Hidden floats each),
/// the last normalised input (3 floats, for the delta features), the last step and whether any
/// step was seen. Slots of forgotten applications are reused; the arrays grow (doubling) only
/// when an application is added, never while stepping.
/// </summary>
internal sealed class LstmSlots
{
    private readonly Dictionary<AppId, int> _index = [];
    private readonly Stack<int> _free = new();
    private readonly int _hidden;
    private int _used;

    public LstmSlots(int hidden, int capacity = 16)
    {
        _hidden = hidden;
        Resize(capacity);
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

    /// <summary>Whether the slot belongs to an application.</summary>
    public bool[] InUse { get; private set; } = [];

    public int Capacity => InUse.Length;

    public bool TryGet(AppId app, out int slot) => _index.TryGetValue(app, out slot);

    /// <summary>The slot of <paramref name="app"/>, taking and zeroing a free one on first use.</summary>
    public int Acquire(AppId app)
    {
        if (_index.TryGetValue(app, out int slot))
        {
            return slot;
        }

        if (!_free.TryPop(out slot))
        {
            if (_used == Capacity)
            {
                Resize(Capacity * 2);
            }

            slot = _used++;
        }

        H.AsSpan(slot * _hidden, _hidden).Clear();
        C.AsSpan(slot * _hidden, _hidden).Clear();
        Previous.AsSpan(slot * 3, 3).Clear();
        LastStep[slot] = -1;
        Stepped[slot] = false;
        InUse[slot] = true;
        _index.Add(app, slot);
        return slot;
    }

    /// <summary>Frees the slot of <paramref name="app"/>, if it has one.</summary>
    public void Release(AppId app)
    {
        if (_index.Remove(app, out int slot))
        {
            InUse[slot] = false;
            _free.Push(slot);
        }
    }

    /// <summary>Frees every slot.</summary>
    public void Clear()
    {
        _index.Clear();
        _free.Clear();
        Array.Clear(InUse);
        _used = 0;
    }

    private void Resize(int capacity)
    {
        H = Grow(H, capacity * _hidden);
        C = Grow(C, capacity * _hidden);
        Previous = Grow(Previous, capacity * 3);
        LastStep = Grow(LastStep, capacity);
        Stepped = Grow(Stepped, capacity);
        InUse = Grow(InUse, capacity);
    }

    private static T[] Grow<T>(T[] array, int length)
    {
        var grown = new T[length];
        array.CopyTo(grown, 0);
        return grown;
    }
}

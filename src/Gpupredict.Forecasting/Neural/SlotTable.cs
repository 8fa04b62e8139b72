using Gpupredict.Core.Apps;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Which application owns which slot of a model's flat per-application state arrays. Slots of
/// forgotten applications are reused; the arrays grow (doubling, through <see cref="Resize"/>) only
/// when an application is added, never while stepping. Subclasses own the arrays and say how to
/// grow them and how a slot starts (<see cref="Reset"/>).
/// </summary>
internal abstract class SlotTable
{
    private readonly Dictionary<AppId, int> _index = [];
    private readonly Stack<int> _free = new();
    private bool[] _inUse = [];
    private int _used;

    /// <summary>Slots the arrays hold now.</summary>
    public int Capacity => _inUse.Length;

    public bool TryGet(AppId app, out int slot) => _index.TryGetValue(app, out slot);

    /// <summary>Whether <paramref name="slot"/> belongs to an application (false out of range).</summary>
    public bool InUse(int slot) => (uint)slot < (uint)Capacity && _inUse[slot];

    /// <summary>
    /// Checks the spans of a <c>StepBatch</c> call: three inputs per slot, room for
    /// <paramref name="outputsPerApp"/> outputs per slot, and every slot in use.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths do not match, or a slot is not in use.</exception>
    public void RequireBatch(ReadOnlySpan<int> slots, int inputs, int outputs, int outputsPerApp)
    {
        int resources = Core.Demand.Resources.Count;
        if (inputs != slots.Length * resources || outputs < slots.Length * outputsPerApp)
        {
            throw new ArgumentException($"{slots.Length} slots need {slots.Length * resources} inputs and {slots.Length * outputsPerApp} outputs; got {inputs} and {outputs}");
        }

        foreach (int slot in slots)
        {
            if (!InUse(slot))
            {
                throw new ArgumentException($"slot {slot} belongs to no application", nameof(slots));
            }
        }
    }

    /// <summary>The slot of <paramref name="app"/>, taking and resetting a free one on first use.</summary>
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
                GrowTo(Capacity * 2);
            }

            slot = _used++;
        }

        Reset(slot);
        _inUse[slot] = true;
        _index.Add(app, slot);
        return slot;
    }

    /// <summary>Frees the slot of <paramref name="app"/>, if it has one.</summary>
    public void Release(AppId app)
    {
        if (_index.Remove(app, out int slot))
        {
            _inUse[slot] = false;
            _free.Push(slot);
        }
    }

    /// <summary>Frees every slot.</summary>
    public void Clear()
    {
        _index.Clear();
        _free.Clear();
        Array.Clear(_inUse);
        _used = 0;
    }

    /// <summary>Sizes the arrays for <paramref name="capacity"/> slots; subclasses call it once from their constructor.</summary>
    protected void GrowTo(int capacity)
    {
        Resize(capacity);
        _inUse = Grow(_inUse, capacity);
    }

    /// <summary>Grows the subclass's arrays to <paramref name="capacity"/> slots, keeping their contents.</summary>
    protected abstract void Resize(int capacity);

    /// <summary>Puts <paramref name="slot"/>'s state back to that of an application never seen.</summary>
    protected abstract void Reset(int slot);

    /// <summary>A copy of <paramref name="array"/> grown to <paramref name="length"/>.</summary>
    protected static T[] Grow<T>(T[] array, int length)
    {
        var grown = new T[length];
        array.CopyTo(grown, 0);
        return grown;
    }
}

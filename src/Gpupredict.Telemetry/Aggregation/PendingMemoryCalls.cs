using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// Allocations and frees of the open steps, held until their step closes so that the
/// <see cref="VramLedger"/> sees them in time order whatever order they arrived in (a free without a size
/// must meet its allocation first). Equal times keep their arrival order. Buffers grow by doubling and are reused.
/// </summary>
internal sealed class PendingMemoryCalls
{
    private (ulong TimeNs, long Arrival)[] _keys = new (ulong, long)[16];
    private GpuEvent[] _events = new GpuEvent[16];
    private int _count;
    private long _arrivals;

    /// <summary>Holds <paramref name="e"/>.</summary>
    public void Add(in GpuEvent e)
    {
        if (_count == _events.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _events, _count * 2);
        }

        _keys[_count] = (e.TimestampNs, _arrivals++);
        _events[_count++] = e;
    }

    /// <summary>The held calls that start before <paramref name="ns"/>, in time order; valid until the next <see cref="Add"/> or <see cref="Drop"/>.</summary>
    public ReadOnlySpan<GpuEvent> Before(ulong ns)
    {
        Span<(ulong TimeNs, long Arrival)> keys = _keys.AsSpan(0, _count);
        if (!IsSorted(keys))
        {
            keys.Sort(_events.AsSpan(0, _count));
        }

        int n = 0;
        while (n < _count && keys[n].TimeNs < ns)
        {
            n++;
        }

        return _events.AsSpan(0, n);
    }

    /// <summary>Forgets the first <paramref name="count"/> calls (those <see cref="Before"/> returned).</summary>
    public void Drop(int count)
    {
        Array.Copy(_keys, count, _keys, 0, _count - count);
        Array.Copy(_events, count, _events, 0, _count - count);
        _count -= count;
    }

    private static bool IsSorted(ReadOnlySpan<(ulong TimeNs, long Arrival)> keys)
    {
        for (int i = 1; i < keys.Length; i++)
        {
            if (keys[i].CompareTo(keys[i - 1]) < 0)
            {
                return false;
            }
        }

        return true;
    }
}

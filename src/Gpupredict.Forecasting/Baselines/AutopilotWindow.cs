using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// One application's moving window: a ring of the samples of the current aggregation interval and
/// the ones before it, <see cref="AutopilotParameters.WindowIntervals"/> intervals in all. Interval
/// <c>i</c> holds steps [i·k, (i+1)·k) for k steps per interval. The ring is allocated once, as
/// large as a window can be (one sample per step), so <see cref="Add"/> never allocates. Each
/// sample's bucket (<see cref="BaselineBuckets"/>) is found once, when it arrives.
/// </summary>
internal sealed class AutopilotWindow
{
    private readonly long[] _intervals;
    private readonly double[] _values;
    private readonly ushort[] _buckets;
    private readonly long _intervalSteps;
    private readonly int _windowIntervals;
    private int _head;

    public AutopilotWindow(AutopilotParameters parameters)
    {
        _intervalSteps = parameters.AggregationIntervalSteps;
        _windowIntervals = parameters.WindowIntervals;
        _intervals = new long[parameters.WindowSteps];
        _values = new double[parameters.WindowSteps * Resources.Count];
        _buckets = new ushort[parameters.WindowSteps * Resources.Count];
    }

    /// <summary>Samples in the window, oldest first at index 0.</summary>
    public int Count { get; private set; }

    /// <summary>The last step added.</summary>
    public long LastStep { get; private set; } = long.MinValue;

    /// <summary>The interval of the last step added: age 0.</summary>
    public long CurrentInterval { get; private set; }

    /// <summary>Adds a step and drops the samples of intervals that left the window; steps must increase.</summary>
    public void Add(long step, ResourceVector demand)
    {
        if (Count > 0 && step <= LastStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last one was {LastStep}");
        }

        LastStep = step;
        CurrentInterval = IntervalOf(step);
        long oldest = CurrentInterval - _windowIntervals + 1;
        while (Count > 0 && _intervals[_head] < oldest)
        {
            _head = Slot(1);
            Count--;
        }

        // After the drop every sample left lies in the window, one per step, so there is room.
        int slot = Slot(Count);
        _intervals[slot] = CurrentInterval;
        Store(slot, Resource.Sm, demand.SmFraction);
        Store(slot, Resource.MemoryBandwidth, demand.BandwidthBytesPerSecond);
        Store(slot, Resource.Vram, demand.VramBytes);
        Count++;
    }

    /// <summary>The age in intervals (0 = current) of the <paramref name="index"/>-th oldest sample.</summary>
    public int AgeAt(int index) => (int)(CurrentInterval - _intervals[Slot(index)]);

    /// <summary>The bucket of <paramref name="resource"/>'s value in the <paramref name="index"/>-th oldest sample.</summary>
    public int BucketAt(int index, Resource resource) => _buckets[(Slot(index) * Resources.Count) + (int)resource];

    /// <summary>S_max: the largest value of <paramref name="resource"/> in the window (0 when empty); order does not matter, so the ring is scanned as stored.</summary>
    public double Max(Resource resource)
    {
        double max = 0;
        int first = Math.Min(Count, _intervals.Length - _head);
        for (int slot = _head; slot < _head + first; slot++)
        {
            max = Math.Max(max, _values[(slot * Resources.Count) + (int)resource]);
        }

        for (int slot = 0; slot < Count - first; slot++)
        {
            max = Math.Max(max, _values[(slot * Resources.Count) + (int)resource]);
        }

        return max;
    }

    private void Store(int slot, Resource resource, double value)
    {
        int i = (slot * Resources.Count) + (int)resource;
        _values[i] = value;
        _buckets[i] = (ushort)BaselineBuckets.For(resource).Find(value);
    }

    private int Slot(int index)
    {
        int slot = _head + index;
        return slot < _intervals.Length ? slot : slot - _intervals.Length;
    }

    private long IntervalOf(long step) => step >= 0 ? step / _intervalSteps : ((step + 1) / _intervalSteps) - 1;
}

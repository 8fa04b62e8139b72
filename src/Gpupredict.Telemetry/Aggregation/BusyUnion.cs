namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// The union of the kernel execution intervals of the open steps, kept as disjoint intervals in start
/// order; intervals may arrive in any order. Overlapping or touching intervals merge, so concurrent kernels
/// (several streams, several devices) count once and a step's busy fraction never exceeds 1. Closing adds each
/// merged interval's time to the steps it covers, interval by interval in start order, which is the
/// arithmetic the whole-trace aggregator always did, so its output does not depend on how the events were
/// cut into closes.
/// </summary>
internal sealed class BusyUnion
{
    private (ulong Start, ulong End)[] _spans = new (ulong, ulong)[16];
    private int _count;

    /// <summary>Adds [<paramref name="start"/>, <paramref name="end"/>), ns; an empty interval adds nothing.</summary>
    public void Add(ulong start, ulong end)
    {
        if (end <= start)
        {
            return;
        }

        // In-order arrivals (the usual case) touch only the last interval.
        if (_count == 0 || start > _spans[_count - 1].End)
        {
            Insert(_count, start, end);
            return;
        }

        ref (ulong Start, ulong End) last = ref _spans[_count - 1];
        if (start >= last.Start)
        {
            last.End = Math.Max(last.End, end);
            return;
        }

        // Out of order: merge with every interval it overlaps or touches, [first, through].
        int first = FirstEndingAtOrAfter(start);
        int through = LastStartingAtOrBefore(end);
        if (through < first)
        {
            Insert(first, start, end);
            return;
        }

        _spans[first] = (Math.Min(start, _spans[first].Start), Math.Max(end, _spans[through].End));
        Array.Copy(_spans, through + 1, _spans, first + 1, _count - through - 1);
        _count -= through - first;
    }

    /// <summary>
    /// Adds the time before <paramref name="closeNs"/> (a step boundary) to <paramref name="busyFraction"/>
    /// (slot 0 = step <paramref name="firstStep"/>, zeroed by the caller) as fractions of a step, each capped
    /// at 1, and keeps only what lies after <paramref name="closeNs"/>.
    /// </summary>
    public void Close(StepGrid grid, long firstStep, ulong closeNs, Span<double> busyFraction)
    {
        double stepNs = grid.StepNs;
        int done = 0;
        for (; done < _count; done++)
        {
            (ulong start, ulong end) = _spans[done];
            if (start >= closeNs)
            {
                break;
            }

            long last = grid.StepOf(Math.Min(end, closeNs) - 1);
            for (long step = grid.StepOf(start); step <= last; step++)
            {
                ulong stepStart = grid.StartOf(step);
                ulong overlap = Math.Min(end, stepStart + (ulong)grid.StepNs) - Math.Max(start, stepStart);
                ref double busy = ref busyFraction[(int)(step - firstStep)];
                busy = Math.Min(1.0, busy + ((double)overlap / stepNs));
            }

            if (end > closeNs)
            {
                // Every later interval starts after this one ends, so after closeNs too.
                _spans[done] = (closeNs, end);
                break;
            }
        }

        Array.Copy(_spans, done, _spans, 0, _count - done);
        _count -= done;
    }

    private void Insert(int at, ulong start, ulong end)
    {
        if (_count == _spans.Length)
        {
            Array.Resize(ref _spans, _spans.Length * 2);
        }

        if (at < _count)
        {
            Array.Copy(_spans, at, _spans, at + 1, _count - at);
        }

        _spans[at] = (start, end);
        _count++;
    }

    private int FirstEndingAtOrAfter(ulong ns)
    {
        // Disjoint intervals in start order also end in order.
        int lo = 0;
        int hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            (lo, hi) = _spans[mid].End >= ns ? (lo, mid) : (mid + 1, hi);
        }

        return lo;
    }

    private int LastStartingAtOrBefore(ulong ns)
    {
        int lo = 0;
        int hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            (lo, hi) = _spans[mid].Start <= ns ? (mid + 1, hi) : (lo, mid);
        }

        return lo - 1;
    }
}

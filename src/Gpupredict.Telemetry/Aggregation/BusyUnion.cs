using Gpupredict.Core.Demand;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// Merges kernel execution intervals, given in start order, into their union and adds each merged
/// interval's time to the steps it covers: concurrent kernels (several streams, several devices)
/// count once, so a step's busy fraction never exceeds 1.
/// </summary>
internal struct BusyUnion
{
    private readonly StepGrid _grid;
    private readonly double[] _busyFraction;
    private ulong _start;
    private ulong _end;
    private bool _open;

    /// <summary>Accumulates into <paramref name="busyFraction"/> (one slot per step of <paramref name="grid"/>).</summary>
    public BusyUnion(StepGrid grid, double[] busyFraction)
    {
        _grid = grid;
        _busyFraction = busyFraction;
    }

    /// <summary>Adds [<paramref name="start"/>, <paramref name="end"/>); starts must not decrease between calls.</summary>
    public void Add(ulong start, ulong end)
    {
        if (end <= start)
        {
            return;
        }

        if (_open && start <= _end)
        {
            _end = Math.Max(_end, end);
            return;
        }

        Flush();
        (_start, _end, _open) = (start, end, true);
    }

    /// <summary>Adds the last open interval; call once after the last <see cref="Add"/>.</summary>
    public void Flush()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        for (int step = _grid.StepOf(_start); step <= _grid.StepOf(_end - 1); step++)
        {
            ulong stepStart = _grid.StartOf(step);
            ulong overlap = Math.Min(_end, stepStart + (ulong)TimeBase.StepNs) - Math.Max(_start, stepStart);
            _busyFraction[step] = Math.Min(1.0, _busyFraction[step] + ((double)overlap / TimeBase.StepNs));
        }
    }
}

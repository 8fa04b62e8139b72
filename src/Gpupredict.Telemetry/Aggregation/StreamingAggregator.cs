using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// One application's demand per step, built from a live stream of its events: events are
/// <see cref="Push">pushed</see> in any order while their steps are open, and <see cref="Close">closing</see>
/// a step hands its final values to the caller. Step <c>i</c> covers [origin + i·step, origin + (i+1)·step).
/// </summary>
/// <remarks>
/// <para>
/// Per step, as <see cref="DemandAggregator"/> defines it: SM busy fraction = length of the union of the kernel
/// execution intervals inside the step (overlapping kernels count once; exact for any arrival order) / step;
/// bandwidth = copy and memset bytes, spread over their GPU interval in proportion to time (an instant puts all
/// its bytes in its step), × steps per second; VRAM = device bytes held at the end of the step by allocations
/// and frees (a free without size pairs with its allocation by address), applied in time order at close; and the
/// step's activity (<see cref="ActivityChannel"/>). What an event does at an instant (counts, VRAM changes,
/// instant copies) belongs to the step where it starts. An end before the start is read as an instant.
/// </para>
/// <para>
/// Steps close once. What falls in a closed step is not counted: such an event counts in
/// <see cref="LateEvents"/> (its copy bytes in <see cref="LateTransferBytes"/>, its kernel time in
/// <see cref="LateKernelNs"/>) and only its part in open steps is added, except a late allocation or free,
/// whose change to the bytes held still applies (booked in the first open step; memory stays held) although
/// its activity is not counted. Events may reach <see cref="MaxOpenSteps"/> past the first open step: a part
/// beyond is dropped, an event that starts beyond is dropped whole, and either counts in <see cref="ClippedEvents"/>.
/// </para>
/// <para>
/// For events pushed in start order, the values are the same doubles, bit for bit, however the steps are cut
/// into closes. Nothing is allocated per event once the buffers have grown to the stream's working size
/// (they double and are reused). Not thread-safe: one thread pushes and closes.
/// </para>
/// </remarks>
public sealed class StreamingAggregator
{
    /// <summary>The most open steps an aggregator can be asked to hold.</summary>
    public const int MaxOpenStepsLimit = 1 << 26;

    // A ring row per open step: copy bytes, VRAM change (bytes), then the activity channels.
    private const int BytesColumn = 0;
    private const int VramColumn = 1;
    private const int ActivityColumn = 2;

    private readonly StepGrid _grid;
    private readonly StepRing _ring;
    private readonly BusyUnion _busy = new();
    private readonly PendingMemoryCalls _memoryCalls = new();
    private readonly VramLedger _ledger = new();
    private double _heldBytes;
    private ulong _openNs;
    private ulong _boundNs;

    /// <summary>An aggregator whose step 0 starts at <paramref name="originNs"/>.</summary>
    /// <param name="originNs">Start of step 0, ns of the events' clock.</param>
    /// <param name="maxOpenSteps">How many steps past the first open one an event may reach (1 to <see cref="MaxOpenStepsLimit"/>): a few for a live stream, the whole trace for an import.</param>
    /// <param name="stepNs">One step, ns (&gt; 0); <see cref="TimeBase.StepNs"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepNs"/> or <paramref name="maxOpenSteps"/> is out of range.</exception>
    public StreamingAggregator(ulong originNs, int maxOpenSteps, long stepNs = TimeBase.StepNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOpenSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxOpenSteps, MaxOpenStepsLimit);
        _grid = new StepGrid(originNs, stepNs);
        _ring = new StepRing(ActivityColumn + ActivitySeries.Channels, maxOpenSteps);
        MaxOpenSteps = maxOpenSteps;
        MoveTo(0);
    }

    /// <summary>Start of step 0, ns.</summary>
    public ulong OriginNs => _grid.OriginNs;

    /// <summary>One step, ns.</summary>
    public long StepNs => _grid.StepNs;

    /// <summary>How many steps past <see cref="NextStep"/> an event may reach.</summary>
    public int MaxOpenSteps { get; }

    /// <summary>The first open step: every step before it is closed.</summary>
    public long NextStep { get; private set; }

    /// <summary>Events that started in a closed step (or before the origin); their parts in closed steps were not counted.</summary>
    public long LateEvents { get; private set; }

    /// <summary>Events that started past the open steps (dropped), or whose GPU interval ran past them (cut at the bound).</summary>
    public long ClippedEvents { get; private set; }

    /// <summary>Copy and memset bytes of late events that fell in closed steps and were not counted.</summary>
    public double LateTransferBytes { get; private set; }

    /// <summary>Kernel time of late events that fell in closed steps, ns (summed per kernel, not as a union).</summary>
    public long LateKernelNs { get; private set; }

    /// <summary>Adds <paramref name="e"/> to the open steps. Never throws: odd values are read as described on the type.</summary>
    public void Push(in GpuEvent e)
    {
        ulong start = e.TimestampNs;
        ulong end = Math.Max(e.EndNs, start);
        if (start >= _boundNs)
        {
            ClippedEvents++;
            return;
        }

        bool late = start < _openNs;
        LateEvents += late ? 1 : 0;
        bool ran = (e.Flags & GpuEventFlags.Failed) == 0;
        if (e.Kind == GpuEventKind.KernelExec && ran)
        {
            _busy.Add(Math.Max(start, _openNs), Math.Min(end, _boundNs));
            LateKernelNs += late ? (long)(Math.Min(end, _openNs) - start) : 0;
            ClippedEvents += end > _boundNs ? 1 : 0;
        }
        else if (e.Kind.IsTransfer() && ran && e.Bytes > 0)
        {
            LateTransferBytes += TransferSpread.Add(_grid, _ring, BytesColumn, start, end, e.Bytes, _openNs, _boundNs);
            ClippedEvents += end > _boundNs ? 1 : 0;
        }
        else if (e.Kind.IsDeviceAlloc() || e.Kind.IsDeviceFree())
        {
            PushMemoryCall(e, late);
            return;
        }

        if (!late)
        {
            ActivityCounter.Add(_ring.Row(_grid.StepOf(start))[ActivityColumn..], e, 0);
        }
    }

    /// <summary>
    /// Closes every open step before <paramref name="step"/> and writes their values, step <see cref="NextStep"/>
    /// first, into the given spans; a step already closed is not written again (closing it is a no-op).
    /// </summary>
    /// <param name="step">The first step to stay open.</param>
    /// <param name="smFraction">SM busy fraction per closed step, in [0, 1].</param>
    /// <param name="bandwidthBytesPerSecond">Copy and memset bytes/s per closed step.</param>
    /// <param name="vramBytes">Device bytes held at the end of each closed step, ≥ 0.</param>
    /// <param name="activity"><see cref="ActivitySeries.Channels"/> values per closed step, step-major as in <see cref="ActivitySeries"/>.</param>
    /// <returns>The number of steps closed and written: <paramref name="step"/> − the former <see cref="NextStep"/>, or 0.</returns>
    /// <exception cref="ArgumentException">A span is too short for the steps to close (nothing is closed then).</exception>
    public int Close(long step, Span<double> smFraction, Span<double> bandwidthBytesPerSecond, Span<double> vramBytes, Span<double> activity)
    {
        if (step <= NextStep)
        {
            return 0;
        }

        long steps = step - NextStep;
        if (steps > smFraction.Length || steps > bandwidthBytesPerSecond.Length || steps > vramBytes.Length || steps > activity.Length / ActivitySeries.Channels)
        {
            throw new ArgumentException($"closing steps {NextStep}..{step - 1} needs {steps} steps in every span; got sm {smFraction.Length}, bandwidth {bandwidthBytesPerSecond.Length}, vram {vramBytes.Length}, activity {activity.Length / ActivitySeries.Channels}");
        }

        int count = (int)steps;
        ulong closeNs = step >= _grid.RepresentableSteps ? ulong.MaxValue : _grid.StartOf(step);
        smFraction[..count].Clear();
        _busy.Close(_grid, NextStep, closeNs, smFraction);
        ApplyMemoryCalls(closeNs);
        double stepsPerSecond = _grid.StepsPerSecond;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> row = _ring.Peek(NextStep + i);
            Span<double> channels = activity.Slice(i * ActivitySeries.Channels, ActivitySeries.Channels);
            if (row.IsEmpty)
            {
                bandwidthBytesPerSecond[i] = 0;
                channels.Clear();
            }
            else
            {
                bandwidthBytesPerSecond[i] = row[BytesColumn] * stepsPerSecond;
                _heldBytes += row[VramColumn];
                row[ActivityColumn..].CopyTo(channels);
            }

            vramBytes[i] = Math.Max(0, _heldBytes);
        }

        _ring.Advance(step);
        MoveTo(step);
        return count;
    }

    private void PushMemoryCall(in GpuEvent e, bool late)
    {
        if (!late)
        {
            _memoryCalls.Add(e);
            return;
        }

        // Its step is closed, but the memory it took or gave back is still taken or given back.
        _ring.Row(NextStep)[VramColumn] += _ledger.Apply(e);
    }

    private void ApplyMemoryCalls(ulong closeNs)
    {
        ReadOnlySpan<GpuEvent> calls = _memoryCalls.Before(closeNs);
        foreach (ref readonly GpuEvent e in calls)
        {
            // Changes are summed per step here and turned into the running total when the step closes.
            long change = _ledger.Apply(e);
            Span<double> row = _ring.Row(_grid.StepOf(e.TimestampNs));
            row[VramColumn] += change;
            ActivityCounter.Add(row[ActivityColumn..], e, change);
        }

        _memoryCalls.Drop(calls.Length);
    }

    private void MoveTo(long step)
    {
        NextStep = step;
        long representable = _grid.RepresentableSteps;
        _openNs = step >= representable ? ulong.MaxValue : _grid.StartOf(step);
        _boundNs = step >= representable - MaxOpenSteps ? _grid.StartOf(representable) : _grid.StartOf(step + MaxOpenSteps);
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>Turns an imported trace into per-process demand at 10 ms steps.</summary>
public static class DemandAggregator
{
    /// <summary>
    /// One <see cref="DemandSeries"/> per process that has events, all on one grid: step 0 starts at the
    /// trace's first event time floored to a multiple of 10 ms, and every series has as many steps as it
    /// takes to reach the trace's last event end, so that processes line up step for step.
    /// </summary>
    /// <remarks>
    /// Per step: SM busy fraction = length of the union of kernel execution intervals inside the step
    /// (overlapping kernels, on any stream or device of the process, count once) / 10 ms; bandwidth =
    /// memcpy and memset bytes, spread over their GPU interval in proportion to time (an instant puts all
    /// its bytes in its step), / 0.01 s; VRAM = device bytes held at the end of the step by allocations and
    /// frees (a free without size pairs with its allocation by address). Signals the trace does not observe
    /// (<see cref="ImportedTrace.Observed"/>) are left at 0. Alongside, each series carries the process's
    /// activity per step (<see cref="ActivityCounter"/>): calls, kernels, allocations and copies by kind. Runs in O(events + steps) and allocates per
    /// process, never per event.
    /// </remarks>
    /// <param name="trace">The trace; each process's events sorted by start time.</param>
    /// <returns>The series ordered as <see cref="ImportedTrace.Processes"/>; empty when no process has events.</returns>
    /// <exception cref="ArgumentException">A process's events are not sorted by <see cref="GpuEvent.TimestampNs"/>.</exception>
    /// <exception cref="TraceFormatException">The trace spans too many steps to hold.</exception>
    public static IReadOnlyList<DemandSeries> Aggregate(ImportedTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (StepGrid.Of(trace.Path, trace.Processes) is not StepGrid grid)
        {
            return [];
        }

        var series = new List<DemandSeries>(trace.Processes.Count);
        foreach (TraceProcess process in trace.Processes)
        {
            if (process.Events.Length > 0)
            {
                series.Add(Aggregate(process, grid, trace.Observed));
            }
        }

        return series;
    }

    private static DemandSeries Aggregate(TraceProcess process, StepGrid grid, ObservedSignals observed)
    {
        ReadOnlySpan<GpuEvent> events = process.Events;
        if (!EventOrder.IsSorted(events))
        {
            throw new ArgumentException($"the events of process {process.App} ({process.Name}) are not sorted by TimestampNs", nameof(process));
        }

        double[] sm = new double[grid.Count];
        double[] bandwidth = new double[grid.Count];
        double[] vram = new double[grid.Count];
        var busy = new BusyUnion(grid, sm);
        var ledger = new VramLedger();
        var activity = new ActivityCounter(grid);
        foreach (ref readonly GpuEvent e in events)
        {
            bool failed = (e.Flags & GpuEventFlags.Failed) != 0;
            long vramChange = 0;
            if (e.Kind == GpuEventKind.KernelExec && !failed)
            {
                busy.Add(e.TimestampNs, e.EndNs);
            }
            else if (e.Kind.IsTransfer() && !failed && e.Bytes > 0)
            {
                TransferSpread.Add(grid, bandwidth, e.TimestampNs, e.EndNs, e.Bytes);
            }
            else
            {
                // Changes are summed per step first, then turned into the running total below.
                vramChange = ledger.Apply(e);
                vram[grid.StepOf(e.TimestampNs)] += vramChange;
            }

            activity.Add(e, vramChange);
        }

        busy.Flush();
        TransferSpread.ToRate(bandwidth);
        double held = 0;
        for (int step = 0; step < vram.Length; step++)
        {
            held += vram[step];
            vram[step] = Math.Max(0, held);
        }

        return new DemandSeries(process.App, process.Name, (long)grid.OriginNs, sm, bandwidth, vram, observed, activity.ToSeries());
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>Turns an imported trace into per-process demand at <see cref="TimeBase.StepNs"/> steps.</summary>
public static class DemandAggregator
{
    /// <summary>
    /// One <see cref="DemandSeries"/> per process that has events, all on one grid: step 0 starts at the
    /// trace's first event time floored to a multiple of the step, and every series has as many steps as it
    /// takes to reach the trace's last event end, so that processes line up step for step.
    /// </summary>
    /// <remarks>
    /// Each process's events go through a <see cref="StreamingAggregator"/> in start order, so a trace and a
    /// live stream of the same events give the same series. Per step: SM busy fraction = length of the union of
    /// kernel execution intervals inside the step (overlapping kernels, on any stream or device of the process,
    /// count once) / step; bandwidth = memcpy and memset bytes, spread over their GPU interval in proportion to
    /// time (an instant puts all its bytes in its step), / step in seconds; VRAM = device bytes held at the end of
    /// the step by allocations and frees (a free without size pairs with its allocation by address). Signals the
    /// trace does not observe (<see cref="ImportedTrace.Observed"/>) are left at 0. Alongside, each series carries
    /// the process's activity per step (<see cref="ActivityChannel"/>): calls, kernels, allocations and copies by
    /// kind. Runs in O(events + steps) and allocates per process, never per event.
    /// </remarks>
    /// <param name="trace">The trace; each process's events sorted by start time.</param>
    /// <returns>The series ordered as <see cref="ImportedTrace.Processes"/>; empty when no process has events.</returns>
    /// <exception cref="ArgumentException">A process's events are not sorted by <see cref="GpuEvent.TimestampNs"/>.</exception>
    /// <exception cref="TraceFormatException">The trace spans too many steps to hold.</exception>
    public static IReadOnlyList<DemandSeries> Aggregate(ImportedTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (StepGrid.Covering(trace.Path, trace.Processes, TimeBase.StepNs) is not (StepGrid grid, int count))
        {
            return [];
        }

        var series = new List<DemandSeries>(trace.Processes.Count);
        foreach (TraceProcess process in trace.Processes)
        {
            if (process.Events.Length > 0)
            {
                series.Add(Aggregate(process, grid, count, trace.Observed));
            }
        }

        return series;
    }

    private static DemandSeries Aggregate(TraceProcess process, StepGrid grid, int count, ObservedSignals observed)
    {
        ReadOnlySpan<GpuEvent> events = process.Events;
        if (!EventOrder.IsSorted(events))
        {
            throw new ArgumentException($"the events of process {process.App} ({process.Name}) are not sorted by TimestampNs", nameof(process));
        }

        double[] sm = new double[count];
        double[] bandwidth = new double[count];
        double[] vram = new double[count];
        double[] activity = new double[count * ActivitySeries.Channels];
        var aggregator = new StreamingAggregator(grid.OriginNs, StepGrid.MaxSteps, grid.StepNs);
        foreach (ref readonly GpuEvent e in events)
        {
            // Sorted: no later event starts before this one, so the steps before it can close now and the
            // aggregator holds only the steps that events still reach.
            Close(aggregator, grid.StepOf(e.TimestampNs), sm, bandwidth, vram, activity);
            aggregator.Push(e);
        }

        Close(aggregator, count, sm, bandwidth, vram, activity);
        return new DemandSeries(process.App, process.Name, (long)grid.OriginNs, sm, bandwidth, vram, observed, new ActivitySeries(activity));
    }

    private static void Close(StreamingAggregator aggregator, long step, double[] sm, double[] bandwidth, double[] vram, double[] activity)
    {
        if (step <= aggregator.NextStep)
        {
            return;
        }

        int from = (int)aggregator.NextStep;
        aggregator.Close(step, sm.AsSpan(from), bandwidth.AsSpan(from), vram.AsSpan(from), activity.AsSpan(from * ActivitySeries.Channels));
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Aggregation.Reference;

/// <summary>
/// A frozen copy of the whole-trace aggregator as it was before it became a user of the streaming
/// one (sorted events, one grid, the busy union flushed in start order), kept only as the reference
/// the production output must equal bit for bit. Do not "improve" it: its value is that it does not change.
/// </summary>
internal static class ReferenceDemandAggregator
{
    private const int MaxSteps = 50_000_000;

    /// <summary>One series per process with events, as the old <c>DemandAggregator.Aggregate</c> built them.</summary>
    public static IReadOnlyList<DemandSeries> Aggregate(ImportedTrace trace)
    {
        if (GridOf(trace.Processes) is not (ulong origin, int count))
        {
            return [];
        }

        var series = new List<DemandSeries>();
        foreach (TraceProcess process in trace.Processes)
        {
            if (process.Events.Length > 0)
            {
                series.Add(Aggregate(process, origin, count, trace.Observed));
            }
        }

        return series;
    }

    private static DemandSeries Aggregate(TraceProcess process, ulong origin, int count, ObservedSignals observed)
    {
        double[] sm = new double[count];
        double[] bandwidth = new double[count];
        double[] vram = new double[count];
        double[] activity = new double[count * ActivitySeries.Channels];
        var union = new Union(origin, sm);
        var live = new Dictionary<ulong, ulong>();
        ulong held = 0;
        foreach (GpuEvent e in process.Events)
        {
            bool failed = (e.Flags & GpuEventFlags.Failed) != 0;
            long vramChange = 0;
            if (e.Kind == GpuEventKind.KernelExec && !failed)
            {
                union.Add(e.TimestampNs, e.EndNs);
            }
            else if (e.Kind.IsTransfer() && !failed && e.Bytes > 0)
            {
                Spread(origin, bandwidth, e.TimestampNs, e.EndNs, e.Bytes);
            }
            else
            {
                vramChange = Apply(live, ref held, e);
                vram[StepOf(origin, e.TimestampNs)] += vramChange;
            }

            Count(activity, StepOf(origin, e.TimestampNs), e, vramChange);
        }

        union.Flush();
        for (int i = 0; i < bandwidth.Length; i++)
        {
            bandwidth[i] *= TimeBase.StepsPerSecond;
        }

        double total = 0;
        for (int step = 0; step < vram.Length; step++)
        {
            total += vram[step];
            vram[step] = Math.Max(0, total);
        }

        return new DemandSeries(process.App, process.Name, (long)origin, sm, bandwidth, vram, observed, new ActivitySeries(activity));
    }

    private static (ulong Origin, int Count)? GridOf(IEnumerable<TraceProcess> processes)
    {
        ulong first = ulong.MaxValue;
        ulong last = 0;
        foreach (TraceProcess process in processes)
        {
            foreach (GpuEvent e in process.Events)
            {
                first = Math.Min(first, e.TimestampNs);
                last = Math.Max(last, e.EndNs > e.TimestampNs ? e.EndNs - 1 : e.TimestampNs);
            }
        }

        if (first == ulong.MaxValue)
        {
            return null;
        }

        ulong origin = first - (first % (ulong)TimeBase.StepNs);
        ulong steps = ((last - origin) / (ulong)TimeBase.StepNs) + 1;
        return steps > MaxSteps ? throw new InvalidOperationException("too many steps") : (origin, (int)steps);
    }

    private static int StepOf(ulong origin, ulong ns) => (int)((ns - origin) / (ulong)TimeBase.StepNs);

    private static ulong StartOf(ulong origin, int step) => origin + ((ulong)step * (ulong)TimeBase.StepNs);

    private static void Spread(ulong origin, double[] bytesPerStep, ulong start, ulong end, ulong bytes)
    {
        if (end <= start)
        {
            bytesPerStep[StepOf(origin, start)] += bytes;
            return;
        }

        double perNs = (double)bytes / (end - start);
        for (int step = StepOf(origin, start); step <= StepOf(origin, end - 1); step++)
        {
            ulong stepStart = StartOf(origin, step);
            ulong overlap = Math.Min(end, stepStart + (ulong)TimeBase.StepNs) - Math.Max(start, stepStart);
            bytesPerStep[step] += overlap * perNs;
        }
    }

    private static long Apply(Dictionary<ulong, ulong> live, ref ulong held, in GpuEvent e)
    {
        if ((e.Flags & GpuEventFlags.Failed) != 0)
        {
            return 0;
        }

        if (e.Kind.IsDeviceAlloc())
        {
            if (e.Address != 0 && e.Bytes > 0)
            {
                live[e.Address] = e.Bytes;
            }

            held += e.Bytes;
            return (long)e.Bytes;
        }

        if (!e.Kind.IsDeviceFree())
        {
            return 0;
        }

        ulong size = e.Bytes;
        if (e.Address != 0 && live.Remove(e.Address, out ulong allocated) && size == 0)
        {
            size = allocated;
        }

        size = Math.Min(size, held);
        held -= size;
        return -(long)size;
    }

    private static void Count(double[] values, int step, in GpuEvent e, long vramChange)
    {
        bool ran = (e.Flags & GpuEventFlags.Failed) == 0;
        switch (e.Kind)
        {
            case GpuEventKind.KernelLaunch:
                Bump(values, step, ActivityChannel.Launches, 1);
                break;
            case GpuEventKind.KernelExec when ran:
                Bump(values, step, ActivityChannel.Kernels, 1);
                break;
            case GpuEventKind.SyncContext or GpuEventKind.SyncStream or GpuEventKind.SyncEvent:
                Bump(values, step, ActivityChannel.Synchronizations, 1);
                break;
            case var k when k.IsDeviceAlloc():
                Bump(values, step, ActivityChannel.Allocations, 1);
                Bump(values, step, ActivityChannel.AllocatedBytes, Math.Max(0, vramChange));
                break;
            case var k when k.IsDeviceFree():
                Bump(values, step, ActivityChannel.Frees, 1);
                Bump(values, step, ActivityChannel.FreedBytes, Math.Max(0, -vramChange));
                break;
            case var k when k.IsTransfer() && ran:
                Bump(values, step, ActivityChannel.Transfers, 1);
                Bump(values, step, k switch
                {
                    GpuEventKind.MemcpyHtoD => ActivityChannel.HostToDeviceBytes,
                    GpuEventKind.MemcpyDtoH => ActivityChannel.DeviceToHostBytes,
                    GpuEventKind.Memset => ActivityChannel.MemsetBytes,
                    _ => ActivityChannel.DeviceToDeviceBytes,
                }, e.Bytes);
                break;
            default:
                break;
        }
    }

    private static void Bump(double[] values, int step, ActivityChannel channel, double amount) =>
        values[(step * ActivitySeries.Channels) + (int)channel] += amount;

    /// <summary>The old busy union: intervals in start order, merged, each merged one added per step.</summary>
    private sealed class Union(ulong origin, double[] busyFraction)
    {
        private ulong _start;
        private ulong _end;
        private bool _open;

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

        public void Flush()
        {
            if (!_open)
            {
                return;
            }

            _open = false;
            for (int step = StepOf(origin, _start); step <= StepOf(origin, _end - 1); step++)
            {
                ulong stepStart = StartOf(origin, step);
                ulong overlap = Math.Min(_end, stepStart + (ulong)TimeBase.StepNs) - Math.Max(_start, stepStart);
                busyFraction[step] = Math.Min(1.0, busyFraction[step] + ((double)overlap / TimeBase.StepNs));
            }
        }
    }
}

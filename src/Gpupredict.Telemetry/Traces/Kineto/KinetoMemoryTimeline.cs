using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Turns the CUDA <c>[memory]</c> events of a Kineto trace into <see cref="GpuEventKind.Alloc"/> and
/// <see cref="GpuEventKind.Free"/> events for the chosen <see cref="KinetoVramView"/>.
/// </summary>
/// <remarks>
/// Memory held before profiling began is not in the trace as events, only in the running totals: per
/// device, it is emitted as one allocation at the start of the trace, flagged
/// <see cref="GpuEventFlags.Estimated"/> (the amount is exact, the time is not). With profile_memory on,
/// every allocation made while profiling is an event, so that baseline was already held when the trace
/// began; placing it at the first [memory] event instead would invent a ramp-up. For
/// <see cref="KinetoVramView.Allocated"/> that baseline is <c>Total Allocated − Bytes</c> of the first
/// event; for <see cref="KinetoVramView.Reserved"/> it is the first event's <c>Total Reserved</c>, and every
/// later change of the reserved total becomes an allocation or a free of the difference (address unknown).
/// </remarks>
internal static class KinetoMemoryTimeline
{
    /// <summary>Converts <paramref name="records"/> (any order) into events, adding what it could not do to <paramref name="limitations"/>.</summary>
    /// <param name="records">The CUDA [memory] events.</param>
    /// <param name="view">Which total becomes VRAM.</param>
    /// <param name="traceStartNs">The trace's first timestamp: where the memory held before profiling is placed.</param>
    /// <param name="limitations">Receives what the VRAM signal means and misses.</param>
    public static List<GpuEvent> ToEvents(List<KinetoMemoryRecord> records, KinetoVramView view, long traceStartNs, List<string> limitations)
    {
        var events = new List<GpuEvent>(records.Count + 4);
        if (records.Count == 0)
        {
            limitations.Add("No CUDA [memory] events (the profiler ran without profile_memory=True): VRAM is not observed.");
            return events;
        }

        records.Sort(static (a, b) => a.TimestampNs != b.TimestampNs ? a.TimestampNs.CompareTo(b.TimestampNs) : a.Order.CompareTo(b.Order));
        if (view == KinetoVramView.Reserved && records.Exists(static r => r.TotalReserved < 0))
        {
            limitations.Add("[memory] events carry no \"Total Reserved\": VRAM falls back to the allocator's allocated total (live tensors), below what the driver holds.");
            view = KinetoVramView.Allocated;
        }

        if (view == KinetoVramView.Reserved)
        {
            AddReserved(records, traceStartNs, events);
            limitations.Add("VRAM is the PyTorch caching allocator's reserved total (\"Total Reserved\" of [memory] events: what the driver holds for the process); what was reserved before profiling began is placed at the start of the trace (flagged Estimated); device memory outside the caching allocator (CUDA context, cuBLAS/cuDNN workspaces, NCCL buffers) is not seen.");
        }
        else
        {
            AddAllocated(records, traceStartNs, events);
            limitations.Add("VRAM is the PyTorch caching allocator's allocated total (live tensor blocks, \"Total Allocated\"), not what the driver holds (\"Total Reserved\" is larger); what was allocated before profiling began is placed at the start of the trace (flagged Estimated); device memory outside the caching allocator is not seen.");
        }

        return events;
    }

    private static void AddReserved(List<KinetoMemoryRecord> records, long traceStartNs, List<GpuEvent> events)
    {
        var held = new Dictionary<long, long>();
        foreach (KinetoMemoryRecord r in records)
        {
            if (!held.TryGetValue(r.Device, out long previous))
            {
                held[r.Device] = r.TotalReserved;
                Add(events, r with { TimestampNs = traceStartNs }, GpuEventKind.Alloc, r.TotalReserved, 0, GpuEventFlags.Estimated);
                continue;
            }

            long delta = r.TotalReserved - previous;
            held[r.Device] = r.TotalReserved;
            Add(events, r, delta > 0 ? GpuEventKind.Alloc : GpuEventKind.Free, Math.Abs(delta), 0, GpuEventFlags.None);
        }
    }

    private static void AddAllocated(List<KinetoMemoryRecord> records, long traceStartNs, List<GpuEvent> events)
    {
        var seen = new HashSet<long>();
        foreach (KinetoMemoryRecord r in records)
        {
            if (seen.Add(r.Device) && r.TotalAllocated >= 0)
            {
                Add(events, r with { TimestampNs = traceStartNs }, GpuEventKind.Alloc, r.TotalAllocated - r.Bytes, 0, GpuEventFlags.Estimated);
            }

            Add(events, r, r.Bytes > 0 ? GpuEventKind.Alloc : GpuEventKind.Free, Math.Abs(r.Bytes), r.Address, GpuEventFlags.None);
        }
    }

    private static void Add(List<GpuEvent> events, in KinetoMemoryRecord r, GpuEventKind kind, long bytes, long address, GpuEventFlags flags)
    {
        if (bytes <= 0)
        {
            return;
        }

        events.Add(new GpuEvent
        {
            TimestampNs = (ulong)r.TimestampNs,
            EndNs = (ulong)r.TimestampNs,
            Bytes = (ulong)bytes,
            Address = (ulong)address,
            Pid = (uint)r.Pid,
            Tid = KinetoTraceBuilder.ToTid(r.Tid),
            Kind = kind,
            Flags = flags,
            Device = (int)r.Device,
        });
    }
}

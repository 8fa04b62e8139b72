using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>
/// Turns one imported process into an <see cref="EventFile"/>: the events loadgen can replay, with
/// times rebased to the first of them and allocations numbered so that every free names its allocation.
/// </summary>
/// <remarks>
/// Mapping: device allocations of any kind (sync, async, managed, VMM) with a size → alloc; their
/// frees → free of the allocation at that address, or, when the trace gives only a size (Kineto's
/// reserved-memory deltas), of the latest live allocations of that size or, failing that, the
/// latest ones until the size is released, the part of an allocation released beyond it allocated
/// again (flagged <see cref="GpuEventFlags.Estimated"/>), so the live bytes follow the trace exactly;
/// frees of memory allocated before the trace began are dropped. Kernel GPU intervals → kernel
/// (launch API calls are not kept: the interval stands for them); copies HtoD/DtoH/DtoD as such,
/// peer copies as DtoD, host-to-host copies dropped; memsets; context syncs, stream and event
/// syncs as stream syncs. Pinned host memory and everything else is dropped.
/// </remarks>
public static class EventFileExport
{
    /// <summary>The demand step recorded in exported headers: the daemon's 10 ms.</summary>
    public const ulong StepNs = 10_000_000;

    /// <summary>Converts <paramref name="process"/>.</summary>
    /// <param name="process">An imported process, its events sorted by start (as importers give them).</param>
    /// <param name="source">The trace's name, for the header.</param>
    /// <returns>The event file; its events may be empty.</returns>
    public static EventFile From(TraceProcess process, string source)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(source);
        var state = new Allocations();
        var output = new List<GpuEvent>(process.Events.Length);
        foreach (ref readonly GpuEvent e in process.Events.AsSpan())
        {
            Convert(e, state, output);
        }

        GpuEvent[] events = [.. output];
        ulong origin = events.Length == 0 ? 0 : events[0].TimestampNs;
        foreach (ref GpuEvent e in events.AsSpan())
        {
            e.TimestampNs -= origin;
            e.EndNs -= origin; // Record made every end at or after its start
        }

        return new EventFile((uint)process.App.Pid, source, StepNs, events);
    }

    private static void Convert(in GpuEvent e, Allocations state, List<GpuEvent> output)
    {
        GpuEventKind kind = e.Kind switch
        {
            GpuEventKind.KernelExec => GpuEventKind.KernelExec,
            GpuEventKind.MemcpyHtoD or GpuEventKind.MemcpyDtoH or GpuEventKind.MemcpyDtoD or GpuEventKind.Memset => e.Kind,
            GpuEventKind.MemcpyPeer => GpuEventKind.MemcpyDtoD,
            GpuEventKind.SyncContext => GpuEventKind.SyncContext,
            GpuEventKind.SyncStream or GpuEventKind.SyncEvent => GpuEventKind.SyncStream,
            _ => GpuEventKind.None,
        };
        if (e.Kind.IsDeviceAlloc())
        {
            state.Allocate(e, output);
        }
        else if (e.Kind.IsDeviceFree())
        {
            state.Free(e, output);
        }
        else if (kind == GpuEventKind.KernelExec || kind is GpuEventKind.SyncContext or GpuEventKind.SyncStream || (kind != GpuEventKind.None && e.Bytes > 0))
        {
            output.Add(Record(e, kind, e.Bytes, 0, e.Flags));
        }
    }

    /// <summary>A copy of <paramref name="e"/> as KIND with the fields an event file keeps.</summary>
    internal static GpuEvent Record(in GpuEvent e, GpuEventKind kind, ulong bytes, ulong id, GpuEventFlags flags) => new()
    {
        TimestampNs = e.TimestampNs,
        EndNs = Math.Max(e.EndNs, e.TimestampNs),
        Bytes = bytes,
        Address = id,
        Stream = e.Stream,
        CorrelationId = e.CorrelationId,
        Pid = e.Pid,
        Tid = e.Tid,
        GridX = e.GridX,
        GridY = e.GridY,
        GridZ = e.GridZ,
        BlockX = e.BlockX,
        BlockY = e.BlockY,
        BlockZ = e.BlockZ,
        Kind = kind,
        Flags = flags,
        Device = e.Device,
        SharedMemBytes = e.SharedMemBytes,
    };

    /// <summary>A live allocation: its id in the file, its size, the trace's address for it (0 = none).</summary>
    private readonly record struct Live(ulong Id, ulong Bytes, ulong Address);

    /// <summary>The live allocations while converting, newest last, by id and by recorded address.</summary>
    private sealed class Allocations
    {
        private readonly LinkedList<Live> _live = new();
        private readonly Dictionary<ulong, LinkedListNode<Live>> _byAddress = [];
        private ulong _nextId = 1;

        public void Allocate(in GpuEvent e, List<GpuEvent> output)
        {
            if (e.Bytes == 0)
            {
                return; // an API call without a size (Kineto's cudaMalloc rows): the memory row has it
            }

            LinkedListNode<Live> node = Add(e, e.Bytes, e.Flags & GpuEventFlags.Estimated, output);
            if (e.Address != 0)
            {
                // An address still live in the trace's eyes was freed unseen: the newer allocation owns it.
                node.Value = node.Value with { Address = e.Address };
                _byAddress[e.Address] = node;
            }
        }

        public void Free(in GpuEvent e, List<GpuEvent> output)
        {
            if (e.Address != 0 && _byAddress.Remove(e.Address, out LinkedListNode<Live>? node))
            {
                Release(e, node, output);
                return;
            }

            ulong need = e.Bytes;
            while (need > 0 && _live.Last is not null)
            {
                node = FindLast(need) ?? _live.Last;
                ulong bytes = node.Value.Bytes;
                Release(e, node, output);
                if (bytes > need)
                {
                    Add(e, bytes - need, GpuEventFlags.Estimated, output);
                }

                need -= Math.Min(need, bytes);
            }
        }

        private LinkedListNode<Live> Add(in GpuEvent e, ulong bytes, GpuEventFlags flags, List<GpuEvent> output)
        {
            ulong id = _nextId++;
            output.Add(Record(e, GpuEventKind.Alloc, bytes, id, flags));
            return _live.AddLast(new Live(id, bytes, 0));
        }

        private void Release(in GpuEvent e, LinkedListNode<Live> node, List<GpuEvent> output)
        {
            _live.Remove(node);
            if (node.Value.Address != 0 && _byAddress.TryGetValue(node.Value.Address, out LinkedListNode<Live>? owner) && owner == node)
            {
                _byAddress.Remove(node.Value.Address);
            }

            output.Add(Record(e, GpuEventKind.Free, node.Value.Bytes, node.Value.Id, GpuEventFlags.None));
        }

        private LinkedListNode<Live>? FindLast(ulong bytes)
        {
            for (LinkedListNode<Live>? n = _live.Last; n is not null; n = n.Previous)
            {
                if (n.Value.Bytes == bytes)
                {
                    return n;
                }
            }

            return null;
        }
    }
}

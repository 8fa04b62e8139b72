using System.Globalization;
using System.Runtime.InteropServices;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Collects the events of one Kineto trace while it is read and assembles the <see cref="ImportedTrace"/>.
/// GPU rows carry <c>pid</c> = device and <c>tid</c> = stream, not the OS process: each is given to the
/// host process whose runtime call has the same <c>correlation</c> id (the <c>ac2g</c> link).
/// </summary>
internal sealed class KinetoTraceBuilder
{
    private readonly string _path;
    private readonly KinetoVramView _view;
    private readonly Dictionary<long, string> _processNames = [];
    private readonly Dictionary<long, int> _hostCalls = [];
    private readonly Dictionary<long, (long Pid, long Size)> _callsByCorrelation = [];
    private readonly List<GpuEvent> _hostEvents = [];
    private readonly List<GpuEvent> _deviceEvents = [];
    private readonly List<KinetoMemoryRecord> _memory = [];
    private long _firstTimestampNs = long.MaxValue;
    private bool _subMicrosecond;
    private int _unknownDirection;

    /// <summary>Starts a trace read from <paramref name="path"/>.</summary>
    public KinetoTraceBuilder(string path, KinetoVramView view)
    {
        _path = path;
        _view = view;
    }

    /// <summary>Converts a Kineto tid to the event's thread id (0 when negative or out of range).</summary>
    public static uint ToTid(long tid) => tid is >= 0 and <= uint.MaxValue ? (uint)tid : 0;

    /// <summary>Takes one <c>traceEvents</c> element; <paramref name="json"/> is the document its name points into.</summary>
    /// <exception cref="TraceFormatException">A GPU or host event lacks a usable timestamp or pid.</exception>
    public void Add(in KinetoEvent e, ReadOnlySpan<byte> json)
    {
        ReadOnlySpan<byte> name = e.NameStart >= 0 ? json.Slice(e.NameStart, e.NameLength) : default;
        if (e.Phase == (byte)'M')
        {
            if (e.HasPid && e.Args.Name is not null && name.SequenceEqual("process_name"u8))
            {
                _processNames[e.Pid] = e.Args.Name;
            }

            return;
        }

        if (!e.HasPid || e.Category == KinetoCategory.Other)
        {
            return;
        }

        switch (e.Category)
        {
            case KinetoCategory.HostActivity:
                MarkHost(e, calls: 0);
                break;
            case KinetoCategory.Runtime or KinetoCategory.Driver:
                AddCall(e, name);
                break;
            case KinetoCategory.Kernel or KinetoCategory.Memcpy or KinetoCategory.Memset:
                AddDeviceRow(e, name);
                break;
            case KinetoCategory.CpuInstant when name.SequenceEqual(KinetoNames.Memory):
                AddMemory(e);
                break;
            default:
                break;
        }
    }

    /// <summary>Assembles the trace once every element has been added.</summary>
    /// <exception cref="TraceFormatException">The trace holds no events of any kind the importer reads.</exception>
    public ImportedTrace Build(int elementCount)
    {
        if (elementCount == 0)
        {
            throw new TraceFormatException(_path, "\"traceEvents\" is empty: the trace has no events");
        }

        if (_hostCalls.Count == 0 && _deviceEvents.Count == 0)
        {
            throw new TraceFormatException(_path, $"none of the {elementCount} traceEvents is a host (cpu_op, cuda_runtime) or GPU (kernel, gpu_memcpy, gpu_memset) event: nothing to import");
        }

        var limitations = new List<string>
        {
            "Kernel DRAM traffic is not in the trace: bandwidth counts memcpy and memset bytes only.",
        };
        if (!_subMicrosecond)
        {
            limitations.Add("Timestamps have 1 µs resolution (integer microseconds in the file).");
        }

        long primary = PrimaryHost(limitations);
        ResolveDeviceRows(primary, limitations);
        List<GpuEvent> memory = KinetoMemoryTimeline.ToEvents(_memory, _view, _firstTimestampNs, limitations);
        if (_unknownDirection > 0)
        {
            limitations.Add($"{_unknownDirection} memcpy rows name no direction and are counted as device-to-device.");
        }

        List<TraceProcess> processes = Group(memory);
        ObservedSignals observed = TraceSignals.Observe(processes);
        TraceSignals.DescribeMissing(observed, limitations);
        return new ImportedTrace(_path, KinetoTraceImporter.FormatName, processes, observed, limitations);
    }

    private void MarkHost(in KinetoEvent e, int calls)
    {
        RequireTime(e);
        if (e.Pid is < 0 or > int.MaxValue)
        {
            throw new TraceFormatException(_path, $"traceEvents[{e.Index}]: pid {e.Pid} is not a process id (expected 0..{int.MaxValue})");
        }

        _hostCalls[e.Pid] = _hostCalls.GetValueOrDefault(e.Pid) + calls;
    }

    private void RequireTime(in KinetoEvent e)
    {
        if (!e.HasTimestamp)
        {
            throw new TraceFormatException(_path, $"traceEvents[{e.Index}] ({e.Category}): field \"ts\" is missing or not a number of microseconds");
        }

        if (e.TimestampNs < 0)
        {
            throw new TraceFormatException(_path, $"traceEvents[{e.Index}] ({e.Category}): field \"ts\" is negative ({e.TimestampNs} ns), expected a time >= 0");
        }

        _firstTimestampNs = Math.Min(_firstTimestampNs, e.TimestampNs);
        _subMicrosecond |= e.SubMicrosecond;
    }

    private void AddCall(in KinetoEvent e, ReadOnlySpan<byte> name)
    {
        MarkHost(e, calls: 1);
        if (e.Args.Correlation != 0)
        {
            _callsByCorrelation[e.Args.Correlation] = (e.Pid, e.Args.CallSize);
        }

        if (!KinetoNames.TryClassifyCall(name, out GpuEventKind kind, out GpuEventFlags flags))
        {
            return;
        }

        _hostEvents.Add(new GpuEvent
        {
            TimestampNs = (ulong)e.TimestampNs,
            EndNs = (ulong)(e.TimestampNs + Math.Max(0, e.DurationNs)),
            Stream = e.Args.Stream > 0 ? (ulong)e.Args.Stream : 0,
            CorrelationId = (ulong)e.Args.Correlation,
            Pid = (uint)e.Pid,
            Tid = ToTid(e.Tid),
            Kind = kind,
            Flags = flags,
            Device = -1,
        });
    }

    private void AddDeviceRow(in KinetoEvent e, ReadOnlySpan<byte> name)
    {
        RequireTime(e);
        GpuEventKind kind = e.Category switch
        {
            KinetoCategory.Kernel => GpuEventKind.KernelExec,
            KinetoCategory.Memset => GpuEventKind.Memset,
            _ => CopyKind(e, name),
        };
        long device = e.Args.Device >= 0 ? e.Args.Device : e.Pid;
        long stream = e.Args.Stream >= 0 ? e.Args.Stream : e.Tid;
        _deviceEvents.Add(new GpuEvent
        {
            TimestampNs = (ulong)e.TimestampNs,
            EndNs = (ulong)(e.TimestampNs + Math.Max(0, e.DurationNs)),
            Bytes = kind == GpuEventKind.KernelExec ? 0 : (ulong)Math.Max(0, e.Args.CopyBytes),
            Stream = stream > 0 ? (ulong)stream : 0,
            CorrelationId = (ulong)e.Args.Correlation,
            GridX = (uint)e.Args.GridX,
            GridY = (uint)e.Args.GridY,
            GridZ = (uint)e.Args.GridZ,
            BlockX = (uint)e.Args.BlockX,
            BlockY = (uint)e.Args.BlockY,
            BlockZ = (uint)e.Args.BlockZ,
            SharedMemBytes = (uint)Math.Clamp(e.Args.SharedMemory, 0, uint.MaxValue),
            Kind = kind,
            Flags = GpuEventFlags.GpuTime,
            Device = device is >= 0 and <= int.MaxValue ? (int)device : -1,
        });
    }

    private GpuEventKind CopyKind(in KinetoEvent e, ReadOnlySpan<byte> name)
    {
        GpuEventKind kind = KinetoNames.CopyKindOf(name);
        kind = kind != GpuEventKind.None ? kind : e.Args.CopyKind;
        if (kind != GpuEventKind.None)
        {
            return kind;
        }

        _unknownDirection++;
        return GpuEventKind.MemcpyDtoD;
    }

    private void AddMemory(in KinetoEvent e)
    {
        if (e.Args.DeviceType != 1)
        {
            return; // Device Type 0 is host (CPU) memory.
        }

        MarkHost(e, calls: 0);
        if (e.Args.DeviceId is < 0 or > int.MaxValue)
        {
            throw new TraceFormatException(_path, $"traceEvents[{e.Index}] ([memory]): field \"Device Id\" is {e.Args.DeviceId}, expected a CUDA device ordinal >= 0");
        }

        long order = e.Args.EventIndex >= 0 ? e.Args.EventIndex : e.Index;
        _memory.Add(new KinetoMemoryRecord(e.TimestampNs, order, e.Pid, e.Tid, e.Args.DeviceId, e.Args.Address, e.Args.MemoryBytes, e.Args.TotalAllocated, e.Args.TotalReserved));
    }

    private long PrimaryHost(List<string> limitations)
    {
        if (_hostCalls.Count == 0)
        {
            limitations.Add("The trace has no host events: its GPU activity is reported as process 0.");
            _hostCalls[0] = 0;
            return 0;
        }

        // The process that issued the most CUDA calls; the lowest pid on a tie.
        return _hostCalls.OrderByDescending(static p => p.Value).ThenBy(static p => p.Key).First().Key;
    }

    private void ResolveDeviceRows(long primary, List<string> limitations)
    {
        int unlinked = 0;
        int sized = 0;
        Span<GpuEvent> rows = CollectionsMarshal.AsSpan(_deviceEvents);
        foreach (ref GpuEvent row in rows)
        {
            long pid = primary;
            if (row.CorrelationId != 0 && _callsByCorrelation.TryGetValue((long)row.CorrelationId, out (long Pid, long Size) call))
            {
                pid = call.Pid;
                if (row.Kind.IsMemcpy() && row.Bytes == 0 && call.Size > 0)
                {
                    row.Bytes = (ulong)call.Size;
                    sized++;
                }
            }
            else
            {
                unlinked++;
            }

            row.Pid = (uint)pid;
        }

        if (unlinked > 0)
        {
            limitations.Add($"{unlinked} GPU rows have no matching host call (correlation id) in the trace and are attributed to process {primary}.");
        }

        if (sized > 0)
        {
            limitations.Add($"{sized} memcpy rows carry no byte count; their size is taken from the launching call's \"size\".");
        }
    }

    private List<TraceProcess> Group(List<GpuEvent> memory)
    {
        var byPid = _hostCalls.Keys.ToDictionary(static pid => pid, static _ => new List<GpuEvent>());
        foreach (List<GpuEvent> source in new[] { _hostEvents, _deviceEvents, memory })
        {
            foreach (GpuEvent e in source)
            {
                byPid[e.Pid].Add(e);
            }
        }

        var processes = new List<TraceProcess>(byPid.Count);
        foreach ((long pid, List<GpuEvent> events) in byPid.OrderBy(static p => p.Key))
        {
            GpuEvent[] sorted = [.. events];
            EventOrder.SortStable(sorted);
            string name = _processNames.GetValueOrDefault(pid) ?? string.Create(CultureInfo.InvariantCulture, $"pid {pid}");
            processes.Add(new TraceProcess(new AppId((int)pid, (ulong)_firstTimestampNs), name, sorted));
        }

        return processes;
    }
}

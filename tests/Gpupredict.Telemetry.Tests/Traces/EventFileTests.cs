using System.Buffers.Binary;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Kineto;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>
/// The event file (<see cref="EventFile"/>, <c>native/include/gpupredict/eventfile.h</c>): written
/// and read back bit for bit, refused with one line naming file, place, expected and found, and
/// exported from traces with the allocations and kernels they hold.
/// </summary>
public sealed class EventFileTests : IDisposable
{
    private const ulong MiB = 1 << 20;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_ThenRead_RoundTripsEveryField()
    {
        EventFile file = Sample();
        string path = Save("sample.gpev", file);

        EventFile read = EventFile.Read(path);

        Assert.Equal(file.Pid, read.Pid);
        Assert.Equal(file.Source, read.Source);
        Assert.Equal(file.StepNs, read.StepNs);
        Assert.Equal(file.Events, read.Events);
        Assert.Equal(3_000_000ul, read.SpanNs);
        Assert.Equal(EventFile.HeaderSize + (file.Events.Length * GpuEvent.SizeBytes), new FileInfo(path).Length);
    }

    [Fact]
    public void Write_Header_HasTheLayoutOfEventfileH()
    {
        byte[] bytes = File.ReadAllBytes(Save("layout.gpev", Sample()));

        // Offsets from struct gp_event_file_header: magic 0, version 8, header_size 12,
        // event_size 16, pid 20, count 24, span_ns 32, step_ns 40, reserved 48..63, source 64..127.
        Assert.Equal("GPEVFILE"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(128u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(112u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(4242u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(5ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(3_000_000ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(10_000_000ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)));
        Assert.Equal("trace.json.gz\0"u8.ToArray(), bytes[64..78]);
    }

    [Fact]
    public void Write_LongSource_KeepsWholeCharactersWithin64Bytes()
    {
        string source = new string('a', 63) + "é"; // 'é' is two bytes: it would straddle byte 64
        EventFile read = EventFile.Read(Save("long.gpev", Sample() with { Source = source }));
        Assert.Equal(new string('a', 63), read.Source);
    }

    [Fact]
    public void Read_TruncatedFile_OneLineNamingTheCount()
    {
        byte[] bytes = File.ReadAllBytes(Save("whole.gpev", Sample()));
        string path = _temp.Write("cut.gpev", bytes[..^50]);

        AssertRefused(path, "header: count: expected 5 records of 112 bytes after the header, found 510 bytes (4 whole records)");
    }

    [Fact]
    public void Read_ShorterThanHeader_OneLine()
    {
        string path = _temp.Write("tiny.gpev", "GPEVFILE"u8.ToArray());
        AssertRefused(path, "header: expected 128 bytes, found a file of 8 bytes");
    }

    [Fact]
    public void Read_WrongMagic_OneLineSayingNotAnEventFile()
    {
        byte[] bytes = File.ReadAllBytes(Save("whole.gpev", Sample()));
        "GPRBFILE"u8.CopyTo(bytes);
        string path = _temp.Write("magic.gpev", bytes);

        AssertRefused(path, "offset 0: magic: expected \"GPEVFILE\", found 4750524246494c45 (\"GPRBFILE\") (not an event file)");
    }

    [Theory]
    [InlineData(8, 2u, "header: version: expected 1, found 2")]
    [InlineData(16, 104u, "header: event_size: expected 112, found 104")]
    public void Read_WrongHeaderField_NamesFieldExpectedFound(int offset, uint value, string message)
    {
        byte[] bytes = File.ReadAllBytes(Save("whole.gpev", Sample()));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
        AssertRefused(_temp.Write("field.gpev", bytes), message);
    }

    [Fact]
    public void Read_RecordOutOfOrder_NamesRecordAndOffset()
    {
        byte[] bytes = File.ReadAllBytes(Save("whole.gpev", Sample()));

        // Record 2 (offset 128 + 2 * 112 = 352) moved before record 1 (at 1 ms): its ts_ns is its first field.
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(352), 500_000);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(360), 500_000);

        AssertRefused(_temp.Write("order.gpev", bytes), "record 2 (offset 352): ts_ns: expected records sorted by time, found 500000 after 1000000");
    }

    [Fact]
    public void Write_FreeOfNoAllocation_IsRefused()
    {
        EventFile bad = Sample() with { Events = [Rec(GpuEventKind.Free, 0, 0, 0, 9)] };
        var e = Assert.Throws<InvalidDataException>(() => bad.Write(Stream.Null));
        Assert.Contains("record 0 (offset 128): address: expected the id of a live allocation, found 9", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Size-only frees (Kineto's reserved deltas): 100 + 50 MiB live, a 120 MiB free takes the newest
    /// (50), then the 100 whole, and gives back the 30 beyond 120 as a new estimated allocation:
    /// 150 − 120 = 30 MiB stay live, as in the trace. A 30 MiB free then matches the 30 exactly.
    /// </summary>
    [Fact]
    public void Export_SizeOnlyFree_LiveBytesFollowTheTrace()
    {
        TraceProcess p = Process(7, Alloc(0, 100 * MiB, 0), Alloc(1, 50 * MiB, 0), Free(2, 0, 120 * MiB), Alloc(3, 10 * MiB, 0), Free(4, 0, 30 * MiB));

        GpuEvent[] e = EventFileExport.From(p, "t").Events;

        (GpuEventKind, ulong Bytes, ulong Id, GpuEventFlags)[] expected =
        [
            (GpuEventKind.Alloc, 100 * MiB, 1, GpuEventFlags.None),
            (GpuEventKind.Alloc, 50 * MiB, 2, GpuEventFlags.None),
            (GpuEventKind.Free, 50 * MiB, 2, GpuEventFlags.None),
            (GpuEventKind.Free, 100 * MiB, 1, GpuEventFlags.None),
            (GpuEventKind.Alloc, 30 * MiB, 3, GpuEventFlags.Estimated),
            (GpuEventKind.Alloc, 10 * MiB, 4, GpuEventFlags.None),
            (GpuEventKind.Free, 30 * MiB, 3, GpuEventFlags.None),
        ];
        Assert.Equal(expected, e.Select(x => (x.Kind, x.Bytes, x.Address, x.Flags)));
        Assert.Null(EventFile.Validate(e, e.Max(x => x.EndNs)));
    }

    [Fact]
    public void Export_RebasesToTheFirstKeptEvent_AndDropsWhatLoadgenCannotReplay()
    {
        TraceProcess p = Process(
            7,
            new GpuEvent { TimestampNs = Ms(0), EndNs = Ms(0), Kind = GpuEventKind.KernelLaunch },
            Copy(1, 2, 4096, GpuEventKind.MemcpyHtoH),
            Kernel(2, 5),
            Copy(3, 4, 4096, GpuEventKind.MemcpyPeer),
            Alloc(4, 0, 0x10), // a cudaMalloc call without a size
            new GpuEvent { TimestampNs = Ms(6), EndNs = Ms(7), Kind = GpuEventKind.SyncEvent });

        GpuEvent[] e = EventFileExport.From(p, "t").Events;

        Assert.Equal([GpuEventKind.KernelExec, GpuEventKind.MemcpyDtoD, GpuEventKind.SyncStream], e.Select(x => x.Kind));
        Assert.Equal([0ul, 1_000_000ul, 4_000_000ul], e.Select(x => x.TimestampNs));
        Assert.Equal(3_000_000ul, e[0].EndNs);
    }

    /// <summary>
    /// df-index in the allocated view has per-block allocations with addresses: every one of them is
    /// in the file with its size, the live bytes at the end agree, and every kernel interval is a kernel.
    /// </summary>
    [Fact]
    public void Export_DfIndexAllocatedView_AllocationSizesAndKernelCountsMatch()
    {
        ImportedTrace trace = new KinetoTraceImporter(KinetoVramView.Allocated).Import(RepoPaths.Fixture(FixtureTraces.DfIndex));
        TraceProcess p = Assert.Single(trace.Processes);
        string path = Save("df.gpev", EventFileExport.From(p, "df-index"));
        GpuEvent[] file = EventFile.Read(path).Events;

        GpuEvent[] traceAllocs = [.. p.Events.Where(e => e.Kind.IsDeviceAlloc() && e.Bytes > 0 && !e.Flags.HasFlag(GpuEventFlags.Estimated))];
        Assert.NotEmpty(traceAllocs);
        Assert.Equal(
            traceAllocs.Select(e => e.Bytes).Order(),
            file.Where(e => e.Kind == GpuEventKind.Alloc && !e.Flags.HasFlag(GpuEventFlags.Estimated)).Select(e => e.Bytes).Order());
        Assert.Equal(LiveAtEnd(p.Events), LiveAtEnd(file));
        Assert.Equal(p.Events.Count(e => e.Kind == GpuEventKind.KernelExec), file.Count(e => e.Kind == GpuEventKind.KernelExec));
    }

    /// <summary>Allocated minus freed, never below zero at any point (as a device's memory).</summary>
    private static ulong LiveAtEnd(IEnumerable<GpuEvent> events)
    {
        ulong live = 0;
        foreach (GpuEvent e in events)
        {
            live = e.Kind.IsDeviceAlloc() ? live + e.Bytes : e.Kind.IsDeviceFree() ? live - Math.Min(live, e.Bytes) : live;
        }

        return live;
    }

    private static EventFile Sample() => new(4242, "trace.json.gz", 10_000_000,
    [
        Rec(GpuEventKind.Alloc, 0, 0, 1 * MiB, 1),
        Rec(GpuEventKind.KernelExec, 1_000_000, 3_000_000, 0, 0) with { GridX = 80, BlockX = 256, Flags = GpuEventFlags.GpuTime },
        Rec(GpuEventKind.MemcpyHtoD, 1_500_000, 1_600_000, 4096, 1),
        Rec(GpuEventKind.SyncContext, 2_000_000, 2_000_000, 0, 0),
        Rec(GpuEventKind.Free, 2_500_000, 2_500_000, 1 * MiB, 1),
    ]);

    private static GpuEvent Rec(GpuEventKind kind, ulong ts, ulong end, ulong bytes, ulong id) =>
        new() { TimestampNs = ts, EndNs = end, Bytes = bytes, Address = id, Kind = kind, Pid = 4242, Device = 0 };

    private string Save(string name, EventFile file)
    {
        string path = _temp.File(name);
        using (FileStream s = File.Create(path))
        {
            file.Write(s);
        }

        return path;
    }

    private static void AssertRefused(string path, string problem)
    {
        var e = Assert.Throws<TraceFormatException>(() => EventFile.Read(path));
        Assert.Equal($"{path}: {problem}", e.Message);
    }
}

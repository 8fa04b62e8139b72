using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>
/// An event file: one application's recorded driver activity as <c>gpupredict-loadgen</c> replays it.
/// The C side is <c>native/include/gpupredict/eventfile.h</c>; <c>docs/event-file.md</c> describes it.
/// Layout: a 128-byte little-endian header (<c>"GPEVFILE"</c>, version, header and record sizes,
/// pid, record count, span, step, source name), then <see cref="Events"/> as 112-byte
/// <see cref="GpuEvent"/> records, sorted by time and rebased so the first is at 0.
/// </summary>
/// <param name="Pid">The recorded process's pid.</param>
/// <param name="Source">The trace's file name (at most 64 UTF-8 bytes are kept).</param>
/// <param name="StepNs">The demand step the daemon aggregates at, ns; informational.</param>
/// <param name="Events">The records; <see cref="Validate"/> states what they must satisfy.</param>
public sealed record EventFile(uint Pid, string Source, ulong StepNs, GpuEvent[] Events)
{
    /// <summary>The first eight bytes of every event file.</summary>
    public static ReadOnlySpan<byte> Magic => "GPEVFILE"u8;

    /// <summary>The format version this code reads and writes; readers refuse others.</summary>
    public const uint Version = 1;

    /// <summary>Size of the header, bytes.</summary>
    public const int HeaderSize = 128;

    /// <summary>Bytes of the header's source field.</summary>
    public const int SourceBytes = 64;

    /// <summary>The latest end of any record, ns from the first record's start.</summary>
    public ulong SpanNs => Events.Length == 0 ? 0 : Events.Max(static e => e.EndNs);

    /// <summary>Writes the file to <paramref name="stream"/>: the header, then the records.</summary>
    /// <param name="stream">Where the bytes go.</param>
    /// <exception cref="InvalidDataException">The events break a rule of the format (see <see cref="Validate"/>).</exception>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string? problem = Validate(Events, SpanNs);
        if (problem is not null)
        {
            throw new InvalidDataException($"event file of pid {Pid}: {problem}");
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], GpuEvent.SizeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], Pid);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)Events.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], SpanNs);
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], StepNs);
        EncodeSource(Source, header.Slice(64, SourceBytes));
        stream.Write(header);
        RequireLittleEndian();
        stream.Write(MemoryMarshal.AsBytes(Events.AsSpan()));
    }

    /// <summary>Reads and validates an event file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's contents.</returns>
    /// <exception cref="TraceFormatException">
    /// The file is not a valid event file; the one-line message names the file, where (header
    /// field, or record index and byte offset), what was expected and what was found.
    /// </exception>
    public static EventFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFormatException(path, $"cannot read: {e.Message}", e);
        }

        if (bytes.Length < HeaderSize)
        {
            throw new TraceFormatException(path, $"header: expected {HeaderSize} bytes, found a file of {bytes.Length} bytes");
        }

        ReadOnlySpan<byte> h = bytes.AsSpan(0, HeaderSize);
        if (!h[..8].SequenceEqual(Magic))
        {
            throw new TraceFormatException(path, $"offset 0: magic: expected \"GPEVFILE\", found {TraceFile.Describe(h[..8])} (not an event file)");
        }

        CheckHeaderField(path, "version", BinaryPrimitives.ReadUInt32LittleEndian(h[8..]), Version);
        CheckHeaderField(path, "header_size", BinaryPrimitives.ReadUInt32LittleEndian(h[12..]), HeaderSize);
        CheckHeaderField(path, "event_size", BinaryPrimitives.ReadUInt32LittleEndian(h[16..]), GpuEvent.SizeBytes);
        CheckHeaderField(path, "reserved", BinaryPrimitives.ReadUInt64LittleEndian(h[48..]) | BinaryPrimitives.ReadUInt64LittleEndian(h[56..]), 0);
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(h[24..]);
        ulong records = (ulong)(bytes.Length - HeaderSize) / GpuEvent.SizeBytes;
        if (count != records || (ulong)(bytes.Length - HeaderSize) % GpuEvent.SizeBytes != 0)
        {
            throw new TraceFormatException(path, $"header: count: expected {count} records of {GpuEvent.SizeBytes} bytes after the header, found {bytes.Length - HeaderSize} bytes ({records} whole records)");
        }

        RequireLittleEndian();
        GpuEvent[] events = MemoryMarshal.Cast<byte, GpuEvent>(bytes.AsSpan(HeaderSize)).ToArray();
        ulong span = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        string? problem = Validate(events, span);
        if (problem is not null)
        {
            throw new TraceFormatException(path, problem);
        }

        return new EventFile(BinaryPrimitives.ReadUInt32LittleEndian(h[20..]), DecodeSource(h.Slice(64, SourceBytes)), BinaryPrimitives.ReadUInt64LittleEndian(h[40..]), events);
    }

    /// <summary>
    /// The first rule <paramref name="events"/> break, as "record N (offset O): field: expected X,
    /// found Y", or null when they keep them all: known kinds only (alloc, free, kernel exec, copies
    /// HtoD/DtoH/DtoD, memset, context and stream syncs); sorted by start, the first at 0;
    /// end ≥ start and ≤ <paramref name="spanNs"/>; reserved fields zero; an allocation has bytes
    /// and a nonzero id that is not live; a free names a live id; a copy or set has bytes.
    /// </summary>
    /// <param name="events">The records.</param>
    /// <param name="spanNs">The header's span.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Validate(ReadOnlySpan<GpuEvent> events, ulong spanNs)
    {
        var live = new HashSet<ulong>();
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly GpuEvent e = ref events[i];
            string at = $"record {i} (offset {HeaderSize + ((long)i * GpuEvent.SizeBytes)})";
            if (!Replayable(e.Kind))
            {
                return $"{at}: kind: expected 1 (alloc), 10 (free), 21 (kernel), 30-32 (copy), 35 (memset), 40-41 (sync), found {(ushort)e.Kind}";
            }

            string? problem = (i, e) switch
            {
                (0, { TimestampNs: not 0 }) => $"ts_ns: expected 0 (times are rebased to the first record), found {e.TimestampNs}",
                ( > 0, _) when e.TimestampNs < events[i - 1].TimestampNs => $"ts_ns: expected records sorted by time, found {e.TimestampNs} after {events[i - 1].TimestampNs}",
                _ when e.EndNs < e.TimestampNs => $"end_ns: expected >= ts_ns, found {e.EndNs} < {e.TimestampNs}",
                _ when e.EndNs > spanNs => $"end_ns: expected <= the header's span_ns {spanNs}, found {e.EndNs}",
                _ when e.Reserved0 != 0 || e.Reserved1 != 0 => $"reserved0/reserved1: expected 0, found {e.Reserved0}/{e.Reserved1}",
                _ => KindProblem(e, live),
            };
            if (problem is not null)
            {
                return $"{at}: {problem}";
            }
        }

        return null;
    }

    /// <summary>True for the kinds an event file may hold.</summary>
    /// <param name="kind">A kind.</param>
    /// <returns>Whether loadgen replays it.</returns>
    public static bool Replayable(GpuEventKind kind) => kind is GpuEventKind.Alloc or GpuEventKind.Free or GpuEventKind.KernelExec
        or GpuEventKind.MemcpyHtoD or GpuEventKind.MemcpyDtoH or GpuEventKind.MemcpyDtoD or GpuEventKind.Memset
        or GpuEventKind.SyncContext or GpuEventKind.SyncStream;

    private static string? KindProblem(in GpuEvent e, HashSet<ulong> live) => e.Kind switch
    {
        GpuEventKind.Alloc when e.Bytes == 0 => "bytes: expected > 0 for an allocation, found 0",
        GpuEventKind.Alloc when e.Address == 0 => "address: expected a nonzero allocation id, found 0",
        GpuEventKind.Alloc when !live.Add(e.Address) => $"address: expected an allocation id that is not live already, found {e.Address}",
        GpuEventKind.Free when !live.Remove(e.Address) => $"address: expected the id of a live allocation, found {e.Address}",
        GpuEventKind.MemcpyHtoD or GpuEventKind.MemcpyDtoH or GpuEventKind.MemcpyDtoD or GpuEventKind.Memset when e.Bytes == 0
            => "bytes: expected > 0 for a copy or set, found 0",
        _ => null,
    };

    private static void CheckHeaderField(string path, string field, ulong found, ulong expected)
    {
        if (found != expected)
        {
            throw new TraceFormatException(path, $"header: {field}: expected {expected}, found {found}");
        }
    }

    private static void EncodeSource(string source, Span<byte> into)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(source);
        int n = Math.Min(utf8.Length, into.Length);

        // Never cut a multi-byte character in two: back off over continuation bytes (10xxxxxx).
        while (n < utf8.Length && n > 0 && (utf8[n] & 0xC0) == 0x80)
        {
            n--;
        }

        utf8.AsSpan(0, n).CopyTo(into);
    }

    private static string DecodeSource(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("event files are little-endian; this machine is not");
        }
    }
}

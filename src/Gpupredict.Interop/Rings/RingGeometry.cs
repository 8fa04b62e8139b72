using System.Globalization;
using Gpupredict.Interop.Abi;

namespace Gpupredict.Interop.Rings;

/// <summary>
/// The facts of a ring header a reader may rely on, established once by <see cref="Validate"/>
/// from a private copy of the untrusted header, and never re-read from shared memory.
/// </summary>
/// <param name="Capacity">Slots: a power of two in [<see cref="RingGeometry.MinCapacity"/>, <see cref="RingGeometry.MaxCapacity"/>].</param>
/// <param name="Pid">The producing process, from the header.</param>
/// <param name="StartTime">The producer's start time (<c>/proc/&lt;pid&gt;/stat</c> field 22), from the header.</param>
/// <param name="CreatedNs">When the ring was created, CLOCK_MONOTONIC ns, from the header.</param>
internal readonly record struct RingGeometry(uint Capacity, int Pid, ulong StartTime, ulong CreatedNs)
{
    /// <summary>
    /// Fewest slots: with one slot, "published, unread" (seq = index + 1) and "free for the next
    /// index" (seq = index + capacity) are the same number, so the protocol needs two.
    /// </summary>
    public const uint MinCapacity = 2;

    /// <summary>Most slots, 2^24 (2 GiB of slots): bounds the mapping an application can make the daemon take.</summary>
    public const uint MaxCapacity = 1u << 24;

    /// <summary>Bytes the ring occupies: header plus slots.</summary>
    public long Length => AbiConstants.RingHeaderSize + ((long)Capacity * AbiConstants.RingSlotSize);

    /// <summary>
    /// Checks a copy of a ring header and the file's length; the first problem throws, naming the
    /// field, the expected value and the value found.
    /// </summary>
    /// <exception cref="EventRingFormatException">Any field is wrong.</exception>
    public static RingGeometry Validate(in RingHeader header, long fileLength, string path)
    {
        if (header.Magic != AbiConstants.RingMagic)
        {
            throw Bad(path, "magic", Hex(AbiConstants.RingMagic) + " (\"GPRB\")", Hex(header.Magic));
        }

        Require(path, "abi_version", header.AbiVersion, AbiConstants.AbiVersion);
        Require(path, "header_size", header.HeaderSize, (uint)AbiConstants.RingHeaderSize);
        Require(path, "slot_size", header.SlotSize, (uint)AbiConstants.RingSlotSize);
        if (!uint.IsPow2(header.Capacity) || header.Capacity < MinCapacity || header.Capacity > MaxCapacity)
        {
            throw Bad(path, "capacity", $"a power of two from {MinCapacity} to {MaxCapacity}", Dec(header.Capacity));
        }

        if (header.Pid == 0 || header.Pid > int.MaxValue)
        {
            throw Bad(path, "pid", $"1 to {int.MaxValue}", Dec(header.Pid));
        }

        var geometry = new RingGeometry(header.Capacity, (int)header.Pid, header.StartTime, header.CreatedNs);
        if (fileLength < geometry.Length)
        {
            throw Bad(path, "file size", $">= {geometry.Length} bytes (256 + {header.Capacity} x 128)", $"{fileLength} bytes");
        }

        // A correct producer claims index i only after the consumer released i - capacity, so head
        // runs at most capacity ahead of tail (one more if a consumer died between releasing a slot
        // and storing tail). Anything else means the header was overwritten.
        ulong ahead = header.Head - header.Tail;
        if (ahead > (ulong)header.Capacity + 1)
        {
            throw Bad(path, "tail", $"head - capacity - 1 <= tail <= head (head {Dec(header.Head)})", Dec(header.Tail));
        }

        return geometry;
    }

    /// <summary>Checks the header belongs to the process the ring's name says.</summary>
    /// <exception cref="EventRingFormatException">The pid or start time differs.</exception>
    public void RequireIdentity(int pid, ulong startTime, string path)
    {
        if (Pid != pid)
        {
            throw Bad(path, "pid", Dec((uint)pid) + " (from the name)", Dec((uint)Pid));
        }

        if (StartTime != startTime)
        {
            throw Bad(path, "start_time", Dec(startTime) + " (from the name)", Dec(StartTime));
        }
    }

    private static void Require(string path, string field, uint found, uint expected)
    {
        if (found != expected)
        {
            throw Bad(path, field, Dec(expected), Dec(found));
        }
    }

    private static EventRingFormatException Bad(string path, string field, string expected, string found) =>
        new(path, field, expected, found);

    private static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);

    private static string Dec(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

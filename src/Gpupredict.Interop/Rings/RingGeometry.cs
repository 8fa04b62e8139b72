using Gpupredict.Interop.Abi;

namespace Gpupredict.Interop.Rings;

/// <summary>
/// The facts of a ring the reader relies on: the daemon's own, fixed when it creates the ring
/// (<see cref="EventRingReader.CreateOwned"/>), and never re-read from the shared header the
/// application can scribble on.
/// </summary>
/// <param name="Capacity">Slots: a power of two in [<see cref="RingGeometry.MinCapacity"/>, <see cref="RingGeometry.MaxCapacity"/>].</param>
/// <param name="Pid">The producing process.</param>
/// <param name="StartTime">The producer's start time (<c>/proc/&lt;pid&gt;/stat</c> field 22).</param>
/// <param name="CreatedNs">When the ring was created, CLOCK_MONOTONIC ns.</param>
internal readonly record struct RingGeometry(uint Capacity, int Pid, ulong StartTime, ulong CreatedNs)
{
    /// <summary>
    /// Fewest slots: with one slot, "published, unread" (seq = index + 1) and "free for the next
    /// index" (seq = index + capacity) are the same number, so the protocol needs two.
    /// </summary>
    public const uint MinCapacity = 2;

    /// <summary>Most slots, 2^24 (2 GiB of slots): bounds the memory one registration can make the daemon take.</summary>
    public const uint MaxCapacity = 1u << 24;

    /// <summary>Bytes the ring occupies: header plus slots.</summary>
    public long Length => AbiConstants.RingHeaderSize + ((long)Capacity * AbiConstants.RingSlotSize);
}

using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// The head of a per-process shared-memory event ring: the managed mirror of
/// <c>struct gp_ring_header</c> in <c>native/include/gpupredict/abi.h</c>
/// (<see cref="AbiConstants.RingHeaderSize"/> = 256 bytes). Slots follow at byte 256.
/// <see cref="Head"/>, <see cref="Tail"/> and the counters each start a 64-byte cache line; the
/// <c>Pad*</c> buffers keep them there. The hot words are shared with other processes: access them
/// in the mapped segment with <see cref="System.Threading.Volatile"/> or
/// <see cref="System.Threading.Interlocked"/>, never on a copy of this struct.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct RingHeader
{
    /// <summary><see cref="AbiConstants.RingMagic"/>.</summary>
    public uint Magic;

    /// <summary><see cref="AbiConstants.AbiVersion"/>.</summary>
    public ushort AbiVersion;

    /// <summary>Bytes of this header, <see cref="AbiConstants.RingHeaderSize"/>.</summary>
    public ushort HeaderSize;

    /// <summary>Bytes of one slot, <see cref="AbiConstants.RingSlotSize"/>.</summary>
    public uint SlotSize;

    /// <summary>Number of slots, a power of two.</summary>
    public uint Capacity;

    /// <summary>Process id of the producing application.</summary>
    public uint Pid;

    /// <summary>Reserved; zero.</summary>
    public uint Reserved0;

    /// <summary>The producer's start time: <c>/proc/&lt;pid&gt;/stat</c> field 22, clock ticks since boot.</summary>
    public ulong StartTime;

    /// <summary>CLOCK_MONOTONIC at ring creation, ns.</summary>
    public ulong CreatedNs;

    /// <summary>Padding to the cache line of <see cref="Head"/>; zero.</summary>
    public fixed ulong Pad0[3];

    /// <summary>Byte offset 64: the next ring index a producer claims (fetch-add).</summary>
    public ulong Head;

    /// <summary>Padding to the cache line of <see cref="Tail"/>; zero.</summary>
    public fixed ulong Pad1[7];

    /// <summary>Byte offset 128: the next ring index the consumer reads.</summary>
    public ulong Tail;

    /// <summary>Padding to the cache line of the counters; zero.</summary>
    public fixed ulong Pad2[7];

    /// <summary>Byte offset 192: events published, a count.</summary>
    public ulong Written;

    /// <summary>Events lost because the ring was full, a count.</summary>
    public ulong Dropped;

    /// <summary>Padding to <see cref="AbiConstants.RingHeaderSize"/>; zero.</summary>
    public fixed ulong Pad3[6];
}

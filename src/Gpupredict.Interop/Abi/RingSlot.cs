using System.Runtime.InteropServices;
using Gpupredict.Core.Events;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// One slot of the shared-memory event ring: the managed mirror of <c>struct gp_ring_slot</c> in
/// <c>native/include/gpupredict/abi.h</c> (<see cref="AbiConstants.RingSlotSize"/> = 128 bytes: a
/// 16-byte header, then the event). Slot <c>i</c> starts at byte
/// <c>RingHeaderSize + (i mod capacity) * RingSlotSize</c> of the segment, so each is cache-line aligned.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct RingSlot
{
    /// <summary>
    /// Publication sequence: <c>index + 1</c> once the producer has written the event for ring
    /// index <c>index</c>; the consumer releases the slot with <c>index + capacity</c>. Read and
    /// written with acquire/release semantics only.
    /// </summary>
    public ulong Seq;

    /// <summary>Reserved; zero.</summary>
    public ulong Reserved;

    /// <summary>The event, valid while <see cref="Seq"/> says the slot is published.</summary>
    public GpuEvent Event;
}

using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Rings;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.Rings;

/// <summary>
/// TEST HELPER: the producer side of the event ring in C#, written from <c>abi.h</c> alone, so the
/// reader can be tested without the C interposer. It maps the memfd of a ring the reader created
/// (<see cref="EventRingReader.CreateOwned"/>) read-write, a second mapping as an application's
/// would be, and <see cref="TryWrite"/> is the bounded multi-producer protocol: claim index h by
/// compare-exchange of head when slot(h).seq == h, write the event, publish seq = h + 1; a slot
/// still unread (seq &lt; h) means full: count a drop and return. <see cref="Header"/> and
/// <see cref="Slot"/> let tests scribble on the shared memory the way a buggy or hostile
/// application would.
/// </summary>
internal sealed unsafe class EventRingWriter : IDisposable
{
    public const int DefaultPid = 4242;
    public const ulong DefaultStartTime = 987654;
    public const ulong DefaultCreatedNs = 123_000_000;

    private readonly MappedRegion _region;
    private readonly ulong _mask;

    private EventRingWriter(MappedRegion region, uint capacity)
    {
        _region = region;
        Capacity = capacity;
        _mask = capacity - 1UL;
    }

    public uint Capacity { get; }

    public RingHeader* Header => (RingHeader*)_region.BaseAddress;

    /// <summary>A daemon-owned ring of <paramref name="capacity"/> slots for the test process identity.</summary>
    public static EventRingReader NewRing(uint capacity, bool sizeSeal = true) =>
        EventRingReader.CreateOwned(capacity, DefaultPid, DefaultStartTime, DefaultCreatedNs, sizeSeal);

    /// <summary>The producer of <paramref name="ring"/>: its memfd mapped read-write, as the interposer maps the one it is handed.</summary>
    public static EventRingWriter Over(EventRingReader ring) => new(ring.Memfd.Map(writable: true), (uint)ring.Capacity);

    /// <summary>The slot of ring index <paramref name="index"/> (masked).</summary>
    public RingSlot* Slot(ulong index) =>
        (RingSlot*)(_region.BaseAddress + AbiConstants.RingHeaderSize) + (index & _mask);

    /// <summary>Retries before a producer that keeps losing (or meets a scribbled seq) gives up and counts a drop.</summary>
    public const int MaxSpins = 64;

    /// <summary>
    /// Publishes <paramref name="e"/>, or counts a drop and returns false when the ring is full or
    /// <see cref="MaxSpins"/> retries found no slot (a bounded spin: never blocks).
    /// </summary>
    public bool TryWrite(in GpuEvent e)
    {
        RingHeader* h = Header;
        ulong index = Volatile.Read(ref h->Head);
        for (int spin = 0; spin < MaxSpins; spin++)
        {
            RingSlot* slot = Slot(index);
            long diff = (long)(Volatile.Read(ref slot->Seq) - index);
            if (diff == 0)
            {
                ulong seen = Interlocked.CompareExchange(ref h->Head, index + 1, index);
                if (seen == index)
                {
                    slot->Event = e;
                    Volatile.Write(ref slot->Seq, index + 1);
                    Interlocked.Increment(ref h->Written);
                    return true;
                }

                index = seen; // another producer claimed it
            }
            else if (diff < 0)
            {
                Interlocked.Increment(ref h->Dropped); // still unread from the previous lap: full
                return false;
            }
            else
            {
                index = Volatile.Read(ref h->Head); // a producer moved head on (or the seq is garbage)
            }
        }

        Interlocked.Increment(ref h->Dropped);
        return false;
    }

    public void Dispose() => _region.Dispose();
}

using System.Runtime.CompilerServices;
using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Rings;

/// <summary>
/// The consumer side of a process's shared-memory event ring (<c>abi.h</c>, <c>struct gp_ring_header</c>):
/// the interposer produces, this reader drains. The daemon creates the ring as a memfd
/// (<see cref="CreateOwned"/>) and hands it to the application, which may scribble on it, so the
/// geometry is the daemon's and never re-read from the shared header; slot indices are
/// masked with that capacity; each event is copied out and checked before it is handed over, and a
/// bad one is counted in <see cref="Malformed"/>, never thrown. <see cref="Drain"/> never blocks,
/// allocates nothing, and does bounded work (at most one lap of the ring per call).
/// </summary>
/// <remarks>
/// One consumer per ring (the protocol's single consumer): <see cref="Drain"/> is not thread-safe,
/// though <see cref="Dispose"/> may race with it safely (the unmap waits for the drain).
/// <para>Slot states at the consumer's index <c>t</c> (d = seq - t): 0 = not yet published, stop;
/// 1 = published, copy it, release it with seq = t + capacity, then store tail = t + 1;
/// capacity or capacity + 1 = already consumed (what a reader that died between those two stores
/// leaves; the daemon's reader never restarts on a ring, so only an application writes it), skip it;
/// anything else is a scribbled seq: counted in <see cref="Malformed"/>, and if the producer's head is
/// past <c>t</c> the slot is released and skipped, else it is repaired to seq = t (free for index t)
/// so the producer, which would otherwise refuse that slot forever, can use it.</para>
/// </remarks>
public sealed unsafe class EventRingReader : IDisposable
{
    private readonly Memfd _memfd;
    private readonly bool _sizeSealed;
    private readonly MappedRegion _region;
    private readonly RingGeometry _geometry;
    private readonly ulong _capacity;
    private readonly ulong _mask;
    private ulong _tail;
    private long _malformed;
    private long _consumed;

    private EventRingReader(Memfd memfd, MappedRegion region, RingGeometry geometry, bool sizeSealed)
    {
        _memfd = memfd;
        _sizeSealed = sizeSealed;
        _region = region;
        _geometry = geometry;
        _capacity = geometry.Capacity;
        _mask = geometry.Capacity - 1UL; // _tail starts at 0: the ring is new
    }

    /// <summary>The ring's name, "memfd:gpupredict-ring.PID" (what exceptions and logs name it by).</summary>
    public string Path => _region.Path;

    /// <summary>The producing process id, from the validated header.</summary>
    public int Pid => _geometry.Pid;

    /// <summary>The producer's start time, <c>/proc/&lt;pid&gt;/stat</c> field 22 (clock ticks since boot), from the header.</summary>
    public ulong StartTime => _geometry.StartTime;

    /// <summary>When the ring was created, CLOCK_MONOTONIC ns, from the header.</summary>
    public ulong CreatedNs => _geometry.CreatedNs;

    /// <summary>Slots in the ring, a power of two.</summary>
    public int Capacity => (int)_geometry.Capacity;

    /// <summary>Events the producer says it published (the header's <c>written</c>; the application's word).</summary>
    /// <exception cref="EventRingFormatException">As for <see cref="Drain"/>.</exception>
    public ulong Written => ReadCounter(ref Header->Written);

    /// <summary>Events the producer says it lost to a full ring (the header's <c>dropped</c>; the application's word).</summary>
    /// <exception cref="EventRingFormatException">As for <see cref="Drain"/>.</exception>
    public ulong Dropped => ReadCounter(ref Header->Dropped);

    /// <summary>Slots this reader skipped because their event failed the checks or their seq was scribbled.</summary>
    public long Malformed => _malformed;

    /// <summary>Events this reader handed out.</summary>
    public long Consumed => _consumed;

    /// <summary>
    /// Events claimed by the producer and not yet read: its head (the application's word) minus this
    /// reader's tail, clamped to [0, capacity] so a scribbled head cannot claim more than a full ring.
    /// </summary>
    public long Backlog
    {
        get
        {
            long ahead = (long)(ReadCounter(ref Header->Head) - _tail);
            return Math.Clamp(ahead, 0, (long)_capacity);
        }
    }

    /// <summary>The ring index this reader reads next.</summary>
    public ulong Tail => _tail;

    private RingHeader* Header => (RingHeader*)_region.BaseAddress;

    private RingSlot* Slots => (RingSlot*)(_region.BaseAddress + AbiConstants.RingHeaderSize);

    /// <summary>The memfd behind the ring, to hand to its application.</summary>
    public Memfd Memfd => _memfd;

    /// <summary>True when the ring cannot change size under this reader (a memfd sealed against shrinking and growing).</summary>
    public bool SizeSealed => _sizeSealed;

    /// <summary>
    /// Creates the ring of process (<paramref name="pid"/>, <paramref name="startTime"/>) as a memfd
    /// the daemon owns: header written here, every slot free, then sealed against shrinking and
    /// growing when the kernel allows it (<see cref="SizeSealed"/>). The geometry is the daemon's
    /// and never re-read from the shared header, so an application that scribbles on it cannot
    /// make a drain read out of bounds or do more than one lap of work.
    /// </summary>
    /// <exception cref="SharedMemoryException">The memfd cannot be created or mapped.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not a power of two in the ring's range.</exception>
    /// <param name="capacity">Slots, a power of two in [2, 2^24].</param>
    /// <param name="pid">The producing process, written to the header and required of every event.</param>
    /// <param name="startTime">The producer's start time, written to the header.</param>
    /// <param name="createdNs">CLOCK_MONOTONIC ns, written to the header.</param>
    /// <param name="sizeSeal">False to skip the size seals even where the kernel has them (how tests reach the checked fallback).</param>
    public static EventRingReader CreateOwned(uint capacity, int pid, ulong startTime, ulong createdNs, bool sizeSeal = true)
    {
        if (capacity < RingGeometry.MinCapacity || capacity > RingGeometry.MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a power of two in [{RingGeometry.MinCapacity}, {RingGeometry.MaxCapacity}]");
        }

        var geometry = new RingGeometry(capacity, pid, startTime, createdNs);
        Memfd memfd = Memfd.Create($"gpupredict-ring.{pid}", geometry.Length);
        try
        {
            MappedRegion region = memfd.Map(writable: true);
            RingHeader* header = (RingHeader*)region.BaseAddress;
            RingSlot* slots = (RingSlot*)(region.BaseAddress + AbiConstants.RingHeaderSize);
            for (uint i = 0; i < capacity; i++)
            {
                slots[i].Seq = i;
            }

            header->AbiVersion = AbiConstants.AbiVersion;
            header->HeaderSize = AbiConstants.RingHeaderSize;
            header->SlotSize = AbiConstants.RingSlotSize;
            header->Capacity = capacity;
            header->Pid = (uint)pid;
            header->StartTime = startTime;
            header->CreatedNs = createdNs;
            Volatile.Write(ref header->Magic, AbiConstants.RingMagic);
            bool sealedSize = sizeSeal
                && (memfd.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow | MemfdSeals.Seal, out _)
                    || memfd.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow, out _));
            return new EventRingReader(memfd, region, geometry, sealedSize);
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>.Length published events into it, oldest first,
    /// releasing their slots to the producer; returns how many. Returns 0 when the ring is empty.
    /// </summary>
    /// <exception cref="EventRingFormatException">The memfd, on a kernel that refused the size seals, shrank below the ring's size since it was created.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public int Drain(Span<GpuEvent> destination)
    {
        _region.Acquire();
        try
        {
            RequireNotTruncated();
            return DrainMapped(destination);
        }
        finally
        {
            _region.Release();
        }
    }

    /// <summary>Unmaps the ring and closes the daemon's descriptor; the application's copy stays.</summary>
    public void Dispose()
    {
        _region.Dispose();
        _memfd.Dispose();
    }

    private int DrainMapped(Span<GpuEvent> destination)
    {
        RingHeader* header = Header;
        RingSlot* slots = Slots;
        int count = 0;
        for (ulong visited = 0; visited < _capacity && count < destination.Length; visited++)
        {
            RingSlot* slot = slots + (_tail & _mask);
            ulong d = Volatile.Read(ref slot->Seq) - _tail;
            if (d == 0)
            {
                break; // not yet published
            }

            if (d == 1)
            {
                GpuEvent e = slot->Event; // a private copy: the checks and the caller see the same bytes
                Volatile.Write(ref slot->Seq, _tail + _capacity); // release: the copy happens before
                Volatile.Write(ref header->Tail, ++_tail);
                if (GpuEventChecks.IsWellFormed(e, _geometry.Pid))
                {
                    destination[count++] = e;
                }
                else
                {
                    _malformed++;
                }
            }
            else if (d == _capacity || d == _capacity + 1)
            {
                Volatile.Write(ref header->Tail, ++_tail); // consumed before a previous reader stored tail
            }
            else if (!SkipScribbledSlot(header, slot))
            {
                break;
            }
        }

        _consumed += count;
        return count;
    }

    /// <summary>A slot whose seq is neither state: release it if the producer passed it, else repair it. True to go on.</summary>
    private bool SkipScribbledSlot(RingHeader* header, RingSlot* slot)
    {
        _malformed++;
        long producerAhead = (long)(Volatile.Read(ref header->Head) - _tail);
        if (producerAhead > 0)
        {
            Volatile.Write(ref slot->Seq, _tail + _capacity);
            Volatile.Write(ref header->Tail, ++_tail);
            return true;
        }

        Volatile.Write(ref slot->Seq, _tail);
        return false;
    }

    private void RequireNotTruncated()
    {
        if (_sizeSealed)
        {
            return; // sealed: it cannot shrink
        }

        // A kernel that refused the seals: the application could ftruncate its copy, and touching a
        // page the memfd no longer has raises SIGBUS, so look through the daemon's own descriptor
        // before every drain.
        long now = _memfd.CurrentLength();
        if (now < _geometry.Length)
        {
            throw new EventRingFormatException(Path, "file size", $">= {_geometry.Length} bytes (as at creation)", $"{now} bytes: truncated after creation");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadCounter(ref ulong counter)
    {
        _region.Acquire();
        try
        {
            RequireNotTruncated();
            return Volatile.Read(ref counter);
        }
        finally
        {
            _region.Release();
        }
    }
}

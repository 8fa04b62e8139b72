using System.Runtime.CompilerServices;
using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Rings;

/// <summary>
/// The consumer side of a process's shared-memory event ring (<c>abi.h</c>, <c>struct gp_ring_header</c>):
/// the interposer produces, this reader drains. The application owns the memory and may scribble
/// on it, so the header is validated once at open and its geometry never re-read; slot indices are
/// masked with that capacity; each event is copied out and checked before it is handed over, and a
/// bad one is counted in <see cref="Malformed"/>, never thrown. <see cref="Drain"/> never blocks,
/// allocates nothing, and does bounded work (at most one lap of the ring per call).
/// </summary>
/// <remarks>
/// One consumer per ring (the protocol's single consumer): <see cref="Drain"/> is not thread-safe,
/// though <see cref="Dispose"/> may race with it safely (the unmap waits for the drain).
/// <para>Slot states at the consumer's index <c>t</c> (d = seq - t): 0 = not yet published, stop;
/// 1 = published, copy it, release it with seq = t + capacity, then store tail = t + 1;
/// capacity or capacity + 1 = already consumed by a reader that died between those two stores, skip it;
/// anything else is a scribbled seq: counted in <see cref="Malformed"/>, and if the producer's head is
/// past <c>t</c> the slot is released and skipped, else it is repaired to seq = t (free for index t)
/// so the producer, which would otherwise refuse that slot forever, can use it.</para>
/// </remarks>
public sealed unsafe class EventRingReader : IDisposable
{
    private readonly SharedMemoryFile? _file;
    private readonly Memfd? _memfd;
    private readonly bool _sizeSealed;
    private readonly MappedRegion _region;
    private readonly RingGeometry _geometry;
    private readonly ulong _capacity;
    private readonly ulong _mask;
    private ulong _tail;
    private long _malformed;
    private long _consumed;

    private EventRingReader(SharedMemoryFile? file, MappedRegion region, RingGeometry geometry, Memfd? memfd = null, bool sizeSealed = false)
    {
        _file = file;
        _memfd = memfd;
        _sizeSealed = sizeSealed;
        _region = region;
        _geometry = geometry;
        _capacity = geometry.Capacity;
        _mask = geometry.Capacity - 1UL;
        _tail = Volatile.Read(ref Header->Tail);
    }

    /// <summary>The ring's file path.</summary>
    public string Path => _region.Path;

    /// <summary>The producing process id, from the validated header.</summary>
    public int Pid => _geometry.Pid;

    /// <summary>The producer's start time, <c>/proc/&lt;pid&gt;/stat</c> field 22 (clock ticks since boot), from the header.</summary>
    public ulong StartTime => _geometry.StartTime;

    /// <summary>When the ring was created, CLOCK_MONOTONIC ns, from the header.</summary>
    public ulong CreatedNs => _geometry.CreatedNs;

    /// <summary>Slots in the ring, a power of two.</summary>
    public int Capacity => (int)_geometry.Capacity;

    /// <summary>The file's owner: a caller may require it to be the producing process's user.</summary>
    public uint OwnerUid { get; private init; }

    /// <summary>Events the producer says it published (the header's <c>written</c>; the application's word).</summary>
    public ulong Written => ReadCounter(ref Header->Written);

    /// <summary>Events the producer says it lost to a full ring (the header's <c>dropped</c>; the application's word).</summary>
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

    /// <summary>The memfd behind a ring the daemon created (<see cref="CreateOwned"/>), to hand to its application; null for a ring opened by path.</summary>
    public Memfd? Memfd => _memfd;

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
    public static EventRingReader CreateOwned(uint capacity, int pid, ulong startTime, ulong createdNs)
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
            bool sealedSize = memfd.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow | MemfdSeals.Seal, out _)
                || memfd.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow, out _);
            return new EventRingReader(null, region, geometry, memfd, sealedSize);
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    /// <summary>Opens the ring at <paramref name="path"/> read-write (the consumer releases slots) and validates its header.</summary>
    /// <exception cref="SharedMemoryException">The file cannot be opened or mapped (<see cref="SharedMemoryException.IsNotFound"/> when absent), or is a link or not a regular file.</exception>
    /// <exception cref="EventRingFormatException">The header or the file size is wrong.</exception>
    public static EventRingReader Open(string path) => Open(path, identity: null);

    /// <summary>
    /// Opens the ring of process (<paramref name="pid"/>, <paramref name="startTime"/>) under
    /// <paramref name="root"/> and checks its header names the same process.
    /// </summary>
    /// <exception cref="SharedMemoryException">As for <see cref="Open(string)"/>.</exception>
    /// <exception cref="EventRingFormatException">As for <see cref="Open(string)"/>, or the header's pid or start_time differs from the name's.</exception>
    public static EventRingReader Open(ShmRoot root, int pid, ulong startTime)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Open(root.RingPath(pid, startTime), (pid, startTime));
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>.Length published events into it, oldest first,
    /// releasing their slots to the producer; returns how many. Returns 0 when the ring is empty.
    /// </summary>
    /// <exception cref="EventRingFormatException">The file shrank below the ring's size since it was opened.</exception>
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

    /// <summary>Unmaps the ring and closes it; the ring itself stays (the producer owns it).</summary>
    public void Dispose()
    {
        _region.Dispose();
        _file?.Dispose();
        _memfd?.Dispose();
    }

    private static EventRingReader Open(string path, (int Pid, ulong StartTime)? identity)
    {
        SharedMemoryFile file = SharedMemoryFile.OpenExisting(path, writable: true);
        try
        {
            SharedMemoryFileInfo info = file.Stat();
            RingHeader header = default;
            int read = file.Read(new Span<byte>(&header, sizeof(RingHeader)), 0);
            if (read < sizeof(RingHeader))
            {
                throw new EventRingFormatException(path, "file size", $">= {AbiConstants.RingHeaderSize} bytes (the header)", $"{info.Length} bytes");
            }

            RingGeometry geometry = RingGeometry.Validate(header, info.Length, path);
            if (identity is { } id)
            {
                geometry.RequireIdentity(id.Pid, id.StartTime, path);
            }

            MappedRegion region = file.Map(geometry.Length, writable: true);
            return new EventRingReader(file, region, geometry) { OwnerUid = info.OwnerUid };
        }
        catch
        {
            file.Dispose();
            throw;
        }
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

        if (_file is null)
        {
            // An unsealed memfd (a kernel that refuses seals): its size through the daemon's own descriptor.
            long now = new FileInfo($"/proc/self/fd/{_memfd!.Descriptor}").Length;
            if (now < _geometry.Length)
            {
                throw new EventRingFormatException(Path, "file size", $">= {_geometry.Length} bytes (as at creation)", $"{now} bytes: truncated after creation");
            }

            return;
        }

        // Touching a page the file no longer has raises SIGBUS and kills the daemon; the application
        // can ftruncate its own ring, so look before every drain. This narrows the window to one
        // drain; closing it needs a ring the application cannot shrink (a memfd sealed with
        // F_SEAL_SHRINK, which a /dev/shm file cannot be).
        long length = _file!.Stat().Length;
        if (length < _geometry.Length)
        {
            throw new EventRingFormatException(Path, "file size", $">= {_geometry.Length} bytes (as at open)", $"{length} bytes: truncated after open");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadCounter(ref ulong counter)
    {
        _region.Acquire();
        try
        {
            return Volatile.Read(ref counter);
        }
        finally
        {
            _region.Release();
        }
    }
}

using System.Runtime.CompilerServices;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Control;

/// <summary>
/// The daemon's side of a process's control block (<c>abi.h</c>, <c>struct gp_control_block</c>):
/// creates it as a 128-byte memfd (<see cref="CreateOwned"/>; the daemon writes, the application
/// only reads) and publishes <see cref="ControlBlock"/> values under the sequence lock. One writer
/// per block; <see cref="Write"/> is not thread-safe.
/// </summary>
public sealed unsafe class ControlBlockWriter : IDisposable
{
    private readonly Memfd _memfd;
    private readonly MappedRegion _region;
    private uint _seq; // a new memfd is all zero: seq 0, absent to readers (bad magic) until the first Write

    private ControlBlockWriter(Memfd memfd, MappedRegion region)
    {
        _memfd = memfd;
        _region = region;
    }

    /// <summary>The block's name, "memfd:gpupredict-control.PID".</summary>
    public string Path => _region.Path;

    /// <summary>The sequence number the block carries after the last <see cref="Write"/> (even).</summary>
    public uint Sequence => _seq;

    private ControlBlock* Block => (ControlBlock*)_region.BaseAddress;

    /// <summary>The memfd behind the block, to hand (read-only) to its application.</summary>
    public Memfd Memfd => _memfd;

    /// <summary>
    /// How the application is kept from writing its block: <see cref="MemfdSeals.FutureWrite"/> when the
    /// kernel sealed it (Linux 5.1+), else <see cref="MemfdSeals.None"/>: the application gets a
    /// read-only descriptor of a mode-0400 file (a process of another user cannot reopen it for writing;
    /// one of the daemon's own user could) and every value is validated as untrusted on both sides.
    /// </summary>
    public MemfdSeals WriteProtection { get; private init; }

    /// <summary>
    /// Creates the control block of process <paramref name="pid"/> as a memfd the daemon owns: mapped
    /// read-write here first, then sealed against writes through any new mapping (F_SEAL_FUTURE_WRITE)
    /// and against resizing, so the application can map it read-only and nothing else. A kernel without
    /// F_SEAL_FUTURE_WRITE (before 5.1; some sandboxes) gets the size seals alone and chmod 0400
    /// (<see cref="WriteProtection"/> says which), and the caller hands out a read-only descriptor.
    /// </summary>
    /// <exception cref="SharedMemoryException">The memfd cannot be created or mapped.</exception>
    /// <param name="pid">The application's pid (names the memfd).</param>
    /// <param name="writeSeal">False to skip F_SEAL_FUTURE_WRITE even where the kernel has it (how tests reach the fallback on a new kernel).</param>
    public static ControlBlockWriter CreateOwned(int pid, bool writeSeal = true)
    {
        Memfd memfd = Memfd.Create($"gpupredict-control.{pid}", AbiConstants.ControlSize);
        try
        {
            MappedRegion region = memfd.Map(writable: true);
            bool futureWrite = writeSeal && memfd.TryAddSeals(MemfdSeals.FutureWrite | MemfdSeals.Shrink | MemfdSeals.Grow | MemfdSeals.Seal, out _);
            if (!futureWrite)
            {
                _ = memfd.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow | MemfdSeals.Seal, out _);
                _ = memfd.TryChmod(0x100); // 0400
            }

            return new ControlBlockWriter(memfd, region) { WriteProtection = futureWrite ? MemfdSeals.FutureWrite : MemfdSeals.None };
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Publishes <paramref name="value"/>: seq goes odd, every field but seq is stored (magic,
    /// abi_version and size are set here, whatever <paramref name="value"/> holds), seq goes even.
    /// A reader that overlaps the write sees an odd or changed seq and retries.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Write(in ControlBlock value)
    {
        ControlBlock copy = value;
        copy.Magic = AbiConstants.ControlMagic;
        copy.AbiVersion = AbiConstants.AbiVersion;
        copy.Size = AbiConstants.ControlSize;

        _region.Acquire();
        try
        {
            ControlBlock* block = Block;
            byte* source = (byte*)&copy;
            byte* target = (byte*)block;
            const int seqEnd = sizeof(uint) * 3; // magic, abi_version + size, seq

            Volatile.Write(ref block->Seq, _seq + 1);

            // The odd seq must be visible before any field changes: a release store orders only what
            // precedes it, so a full fence (the C writer's atomic_thread_fence) keeps the field stores
            // below from moving above the seq store.
            Interlocked.MemoryBarrier();
            Unsafe.CopyBlockUnaligned(target, source, seqEnd - sizeof(uint));
            Unsafe.CopyBlockUnaligned(target + seqEnd, source + seqEnd, (uint)(sizeof(ControlBlock) - seqEnd));

            _seq += 2;
            Volatile.Write(ref block->Seq, _seq); // release: the fields before the even seq
        }
        finally
        {
            _region.Release();
        }
    }

    /// <summary>Unmaps and closes the daemon's descriptor; the application's copy and mapping stay.</summary>
    public void Dispose()
    {
        _region.Dispose();
        _memfd.Dispose();
    }
}

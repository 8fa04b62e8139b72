using Gpupredict.Interop.Abi;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Control;

/// <summary>
/// Reads a control block the way the interposer does (<c>abi.h</c>): read-only mapping of the
/// block's memfd, sequence lock with bounded retries, and a block that never settles or has the
/// wrong magic, version or size counts as absent (fail-open). For tests and diagnostics; the daemon
/// itself only writes.
/// </summary>
public sealed unsafe class ControlBlockReader : IDisposable
{
    /// <summary>Attempts before a block whose seq stays odd or keeps changing is declared unsettled.</summary>
    public const int DefaultAttempts = 64;

    private readonly MappedRegion _region;

    private ControlBlockReader(MappedRegion region) => _region = region;

    /// <summary>The block's name, "memfd:NAME".</summary>
    public string Path => _region.Path;

    /// <summary>
    /// Maps the block in <paramref name="memfd"/> (a <see cref="ControlBlockWriter.Memfd"/>) read-only,
    /// as a second mapping beside the writer's: what an application that was handed it sees.
    /// </summary>
    /// <exception cref="SharedMemoryException">mmap failed.</exception>
    /// <exception cref="ArgumentException">The memfd is not 128 bytes.</exception>
    public static ControlBlockReader Open(Memfd memfd)
    {
        ArgumentNullException.ThrowIfNull(memfd);
        if (memfd.Length != AbiConstants.ControlSize)
        {
            throw new ArgumentException($"a control block is {AbiConstants.ControlSize} bytes, {memfd.Name} is {memfd.Length}", nameof(memfd));
        }

        return new ControlBlockReader(memfd.Map(writable: false));
    }

    /// <summary>The block, or null when it is absent in the protocol's sense (see <see cref="TryRead(out ControlBlockReadStatus, int)"/>).</summary>
    public ControlBlock? TryRead() => TryRead(out _);

    /// <summary>The block, or null with the reason in <paramref name="status"/>; at most <paramref name="attempts"/> tries.</summary>
    public ControlBlock? TryRead(out ControlBlockReadStatus status, int attempts = DefaultAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        _region.Acquire();
        try
        {
            return Read((ControlBlock*)_region.BaseAddress, attempts, out status);
        }
        finally
        {
            _region.Release();
        }
    }

    /// <summary>Unmaps; the memfd stays its writer's.</summary>
    public void Dispose() => _region.Dispose();

    private static ControlBlock? Read(ControlBlock* shared, int attempts, out ControlBlockReadStatus status)
    {
        var spinner = default(SpinWait);
        for (int i = 0; i < attempts; i++)
        {
            uint before = Volatile.Read(ref shared->Seq); // acquire: the copy below comes after
            if ((before & 1) == 0)
            {
                ControlBlock copy = *shared;

                // The copy's loads must complete before seq is read again; an acquire load orders
                // only what follows it, so a full fence (the C reader's atomic_thread_fence(acquire)).
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref shared->Seq) == before)
                {
                    status = Validate(copy);
                    return status == ControlBlockReadStatus.Ok ? copy : null;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        status = ControlBlockReadStatus.Unsettled;
        return null;
    }

    private static ControlBlockReadStatus Validate(in ControlBlock block) =>
        block.Magic != AbiConstants.ControlMagic ? ControlBlockReadStatus.BadMagic
        : block.AbiVersion != AbiConstants.AbiVersion ? ControlBlockReadStatus.BadVersion
        : block.Size != AbiConstants.ControlSize ? ControlBlockReadStatus.BadSize
        : ControlBlockReadStatus.Ok;
}

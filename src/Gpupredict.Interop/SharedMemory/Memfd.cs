using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Gpupredict.Interop.Native;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// An anonymous shared-memory file the daemon creates (memfd_create(2), sealing allowed) and hands
/// to one application over the registration socket. It has no name in any directory, so nobody
/// else can open, pre-create or replace it; seals (<see cref="TryAddSeals"/>) fix its size and,
/// for a control block, forbid writes through any later mapping.
/// </summary>
public sealed class Memfd : IDisposable
{
    private readonly SafeFileDescriptor _fd;

    private Memfd(SafeFileDescriptor fd, string name, long length)
    {
        _fd = fd;
        Name = name;
        Length = length;
    }

    /// <summary>The name given at creation (shown in /proc/PID/fd as "memfd:NAME").</summary>
    public string Name { get; }

    /// <summary>Bytes.</summary>
    public long Length { get; }

    /// <summary>The descriptor, valid until <see cref="Dispose"/>.</summary>
    internal int Descriptor => (int)_fd.DangerousGetHandle();

    /// <summary>Creates a memfd of <paramref name="length"/> zero bytes.</summary>
    /// <exception cref="SharedMemoryException">memfd_create or ftruncate failed.</exception>
    public static Memfd Create(string name, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        int fd = LibcSockets.MemfdCreate(name, LibcSockets.MfdCloExec | LibcSockets.MfdAllowSealing);
        if (fd < 0)
        {
            throw SharedMemoryException.FromLastError("memfd:" + name, "memfd_create");
        }

        var handle = new SafeFileDescriptor(fd);
        if (LibcSockets.FTruncate(fd, length) != 0)
        {
            SharedMemoryException e = SharedMemoryException.FromLastError("memfd:" + name, "ftruncate");
            handle.Dispose();
            throw e;
        }

        return new Memfd(handle, name, length);
    }

    /// <summary>Maps the whole file shared, read-write or read-only.</summary>
    /// <exception cref="SharedMemoryException">mmap failed.</exception>
    public unsafe MappedRegion Map(bool writable)
    {
        int protection = Libc.ProtRead | (writable ? Libc.ProtWrite : 0);
        nint address = LibcSockets.Mmap(0, (nuint)Length, protection, Libc.MapShared, Descriptor, 0);
        if (address == Libc.MapFailed)
        {
            throw SharedMemoryException.FromLastError("memfd:" + Name, "mmap");
        }

        return new MappedRegion(new SafeMappingHandle(address, (nuint)Length), "memfd:" + Name);
    }

    /// <summary>Adds <paramref name="seals"/> (F_SEAL_* bits); false with the errno when the kernel refuses them.</summary>
    public bool TryAddSeals(MemfdSeals seals, out int errno)
    {
        errno = 0;
        if (LibcSockets.Fcntl(Descriptor, LibcSockets.FAddSeals, (int)seals) == 0)
        {
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }

    /// <summary>The seals in force (F_GET_SEALS), or none when the kernel cannot say.</summary>
    public MemfdSeals Seals
    {
        get
        {
            int s = LibcSockets.Fcntl(Descriptor, LibcSockets.FGetSeals, 0);
            return s < 0 ? MemfdSeals.None : (MemfdSeals)s;
        }
    }

    /// <summary>
    /// The size now, by fstat(2) on the daemon's own descriptor (<see cref="Length"/> is the size at
    /// creation; an unsealed memfd can be resized by whoever holds a copy). Not through the
    /// /proc/self/fd link: a FileInfo of it reports the link's own size.
    /// </summary>
    /// <exception cref="IOException">fstat failed.</exception>
    internal long CurrentLength()
    {
        using var handle = new SafeFileHandle(_fd.DangerousGetHandle(), ownsHandle: false);
        return RandomAccess.GetLength(handle);
    }

    /// <summary>Changes the permission bits (no umask).</summary>
    internal bool TryChmod(uint mode) => LibcSockets.FChmod(Descriptor, mode) == 0;

    /// <summary>Closes the daemon's descriptor; mappings and the application's copy stay.</summary>
    public void Dispose() => _fd.Dispose();
}

/// <summary>memfd seals, the F_SEAL_* bits of fcntl(2).</summary>
[Flags]
public enum MemfdSeals
{
    /// <summary>No seal.</summary>
    None = 0,

    /// <summary>F_SEAL_SEAL: no further seals may be added.</summary>
    Seal = 0x1,

    /// <summary>F_SEAL_SHRINK: the file cannot get smaller (no SIGBUS for a mapping of it).</summary>
    Shrink = 0x2,

    /// <summary>F_SEAL_GROW: the file cannot get bigger.</summary>
    Grow = 0x4,

    /// <summary>F_SEAL_WRITE: no writes at all.</summary>
    Write = 0x8,

    /// <summary>F_SEAL_FUTURE_WRITE (Linux 5.1): mappings made before stay writable, no new writable one or write(2).</summary>
    FutureWrite = 0x10,
}

using Gpupredict.Interop.Native;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// An open POSIX shared-memory object, i.e. a regular file under a shm root (<c>/dev/shm</c>, or a
/// test's directory; see <see cref="ShmRoot"/>). Opening never follows a symbolic link and refuses
/// anything but a regular file with one link, so a root daemon cannot be steered into another file.
/// Mappings made with <see cref="Map"/> outlive this object; disposing closes the descriptor only.
/// </summary>
public sealed unsafe class SharedMemoryFile : IDisposable
{
    private readonly SafeFileDescriptor _fd;

    private SharedMemoryFile(SafeFileDescriptor fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Opens an existing object, read-write or read-only; nothing is created or resized.</summary>
    /// <exception cref="SharedMemoryException">It cannot be opened (<see cref="SharedMemoryException.IsNotFound"/> when absent), is a symbolic link, not a regular file, or has more than one link.</exception>
    public static SharedMemoryFile OpenExisting(string path, bool writable)
    {
        int flags = (writable ? OpenFlags.ReadWrite : OpenFlags.ReadOnly) | OpenFlags.NoFollow | OpenFlags.CloseOnExec;
        var file = new SharedMemoryFile(OpenOrThrow(path, flags, 0), path);
        try
        {
            file.CheckIsPrivateRegularFile(requireOwner: false);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the object, creating it when absent, then sets its size to <paramref name="length"/>
    /// bytes (new bytes are zero) and its permission bits to exactly <paramref name="mode"/>.
    /// An existing object must belong to this process's effective user.
    /// </summary>
    /// <exception cref="SharedMemoryException">A system call fails, or the existing object is a link, not a regular file, or someone else's.</exception>
    public static SharedMemoryFile CreateOrOpen(string path, long length, UnixFileMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int flags = OpenFlags.ReadWrite | OpenFlags.Create | OpenFlags.NoFollow | OpenFlags.CloseOnExec;
        var file = new SharedMemoryFile(OpenOrThrow(path, flags, (uint)mode), path);
        try
        {
            SharedMemoryFileInfo info = file.CheckIsPrivateRegularFile(requireOwner: true);
            if (info.Length != length && Libc.FTruncate(file._fd, length) != 0)
            {
                throw SharedMemoryException.FromLastError(path, "ftruncate");
            }

            if (info.Mode != mode && Libc.FChmod(file._fd, (uint)mode) != 0)
            {
                throw SharedMemoryException.FromLastError(path, "fchmod");
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Removes the name <paramref name="path"/>; true when removed, false when it did not exist.</summary>
    /// <exception cref="SharedMemoryException">unlink(2) failed otherwise (EACCES, EPERM, ...).</exception>
    public static bool Unlink(string path)
    {
        if (Libc.Unlink(path) == 0)
        {
            return true;
        }

        var e = SharedMemoryException.FromLastError(path, "unlink");
        return e.IsNotFound ? false : throw e;
    }

    /// <summary>The object's current size, owner, mode and links (one statx(2) call).</summary>
    /// <exception cref="SharedMemoryException">statx failed or did not report the needed fields.</exception>
    public SharedMemoryFileInfo Stat()
    {
        StatxBuffer buffer = default;
        if (Libc.Statx(_fd, string.Empty, StatxBuffer.AtEmptyPath, StatxBuffer.Needed, &buffer) != 0)
        {
            throw SharedMemoryException.FromLastError(Path, "statx");
        }

        if ((buffer.Mask & StatxBuffer.Needed) != StatxBuffer.Needed)
        {
            throw new SharedMemoryException(Path, "statx", $"the kernel reported fields 0x{buffer.Mask:x}, needed 0x{StatxBuffer.Needed:x}");
        }

        if ((buffer.Mode & StatxBuffer.TypeMask) != StatxBuffer.TypeRegular)
        {
            throw new SharedMemoryException(Path, "open", $"not a regular file (mode 0{Convert.ToString(buffer.Mode, 8)})");
        }

        return new SharedMemoryFileInfo(
            (long)Math.Min(buffer.Size, long.MaxValue),
            buffer.Uid,
            (UnixFileMode)(buffer.Mode & 0xFFF),
            buffer.LinkCount);
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes from byte <paramref name="offset"/> with
    /// pread(2) (no mapping, so a short file cannot fault); returns the count read, less at end of file.
    /// </summary>
    /// <exception cref="SharedMemoryException">pread failed.</exception>
    public int Read(Span<byte> destination, long offset)
    {
        fixed (byte* p = destination)
        {
            nint n = Libc.PRead(_fd, p, (nuint)destination.Length, offset);
            return n >= 0 ? (int)n : throw SharedMemoryException.FromLastError(Path, "pread");
        }
    }

    /// <summary>
    /// Maps the first <paramref name="length"/> bytes shared, read-write or read-only. The file must
    /// hold them now (checked); if it shrinks later, touching the lost pages raises SIGBUS, which
    /// callers guard against by checking <see cref="Stat"/> before reading (see <c>EventRingReader</c>).
    /// </summary>
    /// <exception cref="SharedMemoryException">The file is shorter than <paramref name="length"/>, or mmap failed.</exception>
    public MappedRegion Map(long length, bool writable)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        long have = Stat().Length;
        if (have < length)
        {
            throw new SharedMemoryException(Path, "mmap", $"the file holds {have} bytes, {length} are needed");
        }

        int protection = Libc.ProtRead | (writable ? Libc.ProtWrite : 0);
        nint address = Libc.Mmap(0, (nuint)length, protection, Libc.MapShared, _fd, 0);
        if (address == Libc.MapFailed)
        {
            throw SharedMemoryException.FromLastError(Path, "mmap");
        }

        return new MappedRegion(new SafeMappingHandle(address, (nuint)length), Path);
    }

    /// <summary>Closes the descriptor; mappings stay valid.</summary>
    public void Dispose() => _fd.Dispose();

    private static SafeFileDescriptor OpenOrThrow(string path, int flags, uint mode)
    {
        int fd = Libc.Open(path, flags, mode);
        return fd >= 0 ? new SafeFileDescriptor(fd) : throw SharedMemoryException.FromLastError(path, "open");
    }

    private SharedMemoryFileInfo CheckIsPrivateRegularFile(bool requireOwner)
    {
        SharedMemoryFileInfo info = Stat();
        if (info.LinkCount != 1)
        {
            throw new SharedMemoryException(Path, "open", $"{info.LinkCount} hard links, expected 1");
        }

        uint me = Libc.GetEuid();
        if (requireOwner && info.OwnerUid != me)
        {
            throw new SharedMemoryException(Path, "open", $"owned by uid {info.OwnerUid}, expected this process's uid {me}");
        }

        return info;
    }
}

using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// The libc entry points behind the shared-memory objects (Linux, glibc 2.28 or later, x86-64 or
/// arm64). Every import sets errno on failure (<c>SetLastError = true</c>); callers read it with
/// <see cref="Marshal.GetLastPInvokeError"/> at once and turn it into a typed exception
/// (<see cref="SharedMemory.SharedMemoryException"/>). Paths are passed as UTF-8.
/// </summary>
/// <remarks>
/// Why open(2) and mmap(2) rather than shm_open(3): a POSIX shm name <c>/x</c> is the file
/// <c>/dev/shm/x</c> on Linux, so opening a path works for <c>/dev/shm</c> and for a test's temporary
/// directory alike, and lets the daemon pass <c>O_NOFOLLOW</c> (shm_open gives no control over it, and
/// the daemon runs as root in a world-writable directory). statx(2) instead of fstat(2): glibc before
/// 2.33 exports no <c>fstat</c> symbol, and <c>struct statx</c> is the same on every architecture.
/// "libc" resolves to libc.so.6 through the runtime's own mapping of that name.
/// </remarks>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    /// <summary>
    /// open(2): opens <paramref name="path"/> with <paramref name="flags"/> (<see cref="OpenFlags"/>);
    /// <paramref name="mode"/> is used only with <c>O_CREAT</c> and is filtered by the umask.
    /// Returns the descriptor, or -1 with errno set; wrap it in a <see cref="SafeFileDescriptor"/> at
    /// once. (Not a SafeHandle return: that marshaller reads a pointer-sized value, and the 32-bit -1
    /// arrives zero-extended, i.e. as a "valid" 4294967295.) open is variadic in C; the mode is passed
    /// as an ordinary argument, which the x86-64 and arm64 Linux calling conventions accept.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    /// <summary>close(2): 0, or -1 with errno. The descriptor is released even when it fails (Linux).</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>pread(2): reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; the count read (0 at end of file), or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(SafeFileDescriptor fd, void* buffer, nuint count, long offset);

    /// <summary>ftruncate(2): sets the file's size in bytes (new bytes read as zero); 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int FTruncate(SafeFileDescriptor fd, long length);

    /// <summary>fchmod(2): sets the permission bits exactly (no umask); 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(SafeFileDescriptor fd, uint mode);

    /// <summary>
    /// statx(2) on an open descriptor when called with an empty <paramref name="path"/> and
    /// <see cref="StatxBuffer.AtEmptyPath"/>; fills <paramref name="buffer"/>, 0, or -1 with errno.
    /// Which fields are valid is in <see cref="StatxBuffer.Mask"/>.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(SafeFileDescriptor dirFd, string path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>
    /// mmap(2): maps <paramref name="length"/> bytes of <paramref name="fd"/> from byte
    /// <paramref name="offset"/> (a page multiple). Returns the address, or <see cref="MapFailed"/>
    /// (-1) with errno. Touching a page wholly past the file's end raises SIGBUS, so callers map no
    /// more than the file holds.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, SafeFileDescriptor fd, long offset);

    /// <summary>munmap(2): removes a mapping made by <see cref="Mmap"/>; 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);

    /// <summary>unlink(2): removes the name; the object lives on while mapped or open. 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);

    /// <summary>geteuid(2): the caller's effective user id; never fails.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    /// <summary>mmap's error return, <c>MAP_FAILED</c>.</summary>
    internal const nint MapFailed = -1;

    /// <summary><c>PROT_READ</c>.</summary>
    internal const int ProtRead = 0x1;

    /// <summary><c>PROT_WRITE</c>.</summary>
    internal const int ProtWrite = 0x2;

    /// <summary><c>MAP_SHARED</c>: stores reach the file and every other mapping of it.</summary>
    internal const int MapShared = 0x1;

    /// <summary><c>ENOENT</c>.</summary>
    internal const int ENoEnt = 2;
}

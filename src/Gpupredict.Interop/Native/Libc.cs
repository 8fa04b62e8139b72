using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// The libc entry points behind descriptors and mappings (Linux, glibc 2.28 or later, x86-64 or
/// arm64): closing a descriptor and unmapping a mapping, for the safe handles that own them. The
/// memfds themselves are created and mapped through <see cref="LibcSockets"/>. Every import sets
/// errno on failure (<c>SetLastError = true</c>). "libc" resolves to libc.so.6 through the
/// runtime's own mapping of that name.
/// </summary>
internal static partial class Libc
{
    private const string Library = "libc";

    /// <summary>close(2): 0, or -1 with errno. The descriptor is released even when it fails (Linux).</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>munmap(2): removes a mapping made by mmap(2); 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);

    /// <summary>mmap's error return, <c>MAP_FAILED</c>.</summary>
    internal const nint MapFailed = -1;

    /// <summary><c>PROT_READ</c>.</summary>
    internal const int ProtRead = 0x1;

    /// <summary><c>PROT_WRITE</c>.</summary>
    internal const int ProtWrite = 0x2;

    /// <summary><c>MAP_SHARED</c>: stores reach the file and every other mapping of it.</summary>
    internal const int MapShared = 0x1;
}

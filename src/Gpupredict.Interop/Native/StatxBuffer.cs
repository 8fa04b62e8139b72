using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// The fields of the kernel's <c>struct statx</c> (256 bytes, the same layout on every
/// architecture, <c>linux/stat.h</c>) that the shared-memory objects check.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary><c>AT_EMPTY_PATH</c>: statx describes the descriptor itself.</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary><c>STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID</c> and <c>STATX_SIZE</c>: what is asked for and must come back.</summary>
    public const uint Needed = 0x1 | 0x2 | 0x4 | 0x8 | 0x200;

    /// <summary><c>S_IFMT</c>: the file-type bits of <see cref="Mode"/>.</summary>
    public const ushort TypeMask = 0xF000;

    /// <summary><c>S_IFREG</c>: a regular file.</summary>
    public const ushort TypeRegular = 0x8000;

    /// <summary><c>stx_mask</c>: which fields the kernel filled.</summary>
    [FieldOffset(0)]
    public uint Mask;

    /// <summary><c>stx_nlink</c>: hard links.</summary>
    [FieldOffset(16)]
    public uint LinkCount;

    /// <summary><c>stx_uid</c>: owner.</summary>
    [FieldOffset(20)]
    public uint Uid;

    /// <summary><c>stx_mode</c>: file type and permission bits.</summary>
    [FieldOffset(28)]
    public ushort Mode;

    /// <summary><c>stx_size</c>: bytes.</summary>
    [FieldOffset(40)]
    public ulong Size;
}

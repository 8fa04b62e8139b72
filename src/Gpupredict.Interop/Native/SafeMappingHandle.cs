using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// A mapping from mmap(2) (<see cref="LibcSockets.Mmap"/>): its address and length, unmapped with munmap(2) when the
/// last reference goes (<see cref="SafeHandle.DangerousAddRef"/> keeps a mapping alive across a read
/// that races with disposal). 0 and MAP_FAILED are invalid.
/// </summary>
internal sealed class SafeMappingHandle : SafeHandle
{
    /// <summary>Owns the mapping at <paramref name="address"/> of <paramref name="length"/> bytes.</summary>
    public SafeMappingHandle(nint address, nuint length)
        : base(invalidHandleValue: Libc.MapFailed, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
    }

    /// <summary>Bytes mapped.</summary>
    public nuint Length { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0 || handle == Libc.MapFailed;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.Munmap(handle, Length) == 0;
}

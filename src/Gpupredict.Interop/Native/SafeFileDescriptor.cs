using Microsoft.Win32.SafeHandles;

namespace Gpupredict.Interop.Native;

/// <summary>A file descriptor (a memfd); closed with close(2) when released. -1 is invalid.</summary>
internal sealed class SafeFileDescriptor : SafeHandleMinusOneIsInvalid
{
    /// <summary>Owns <paramref name="fd"/>, a descriptor or -1.</summary>
    public SafeFileDescriptor(int fd)
        : base(ownsHandle: true)
    {
        SetHandle(fd);
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}

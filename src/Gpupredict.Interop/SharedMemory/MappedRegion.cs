using Gpupredict.Interop.Native;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// A shared mapping of a <see cref="Memfd"/>, unmapped on <see cref="Dispose"/>.
/// <see cref="BaseAddress"/> is valid until then; a reader that may race with disposal brackets its
/// access with <see cref="Acquire"/> / <see cref="Release"/>, which defer the unmap.
/// </summary>
public sealed unsafe class MappedRegion : IDisposable
{
    private readonly SafeMappingHandle _handle;

    internal MappedRegion(SafeMappingHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The mapped object's name, "memfd:NAME".</summary>
    public string Path { get; }

    /// <summary>Bytes mapped.</summary>
    public long Length => (long)_handle.Length;

    /// <summary>The first mapped byte; shared with other processes, so access the words they write with <see cref="Volatile"/> or <see cref="Interlocked"/>.</summary>
    public byte* BaseAddress => (byte*)_handle.DangerousGetHandle();

    /// <summary>Keeps the mapping alive until the matching <see cref="Release"/>; throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public void Acquire()
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
    }

    /// <summary>Ends an <see cref="Acquire"/>.</summary>
    public void Release() => _handle.DangerousRelease();

    /// <summary>Unmaps, at once or when the last <see cref="Acquire"/> is released.</summary>
    public void Dispose() => _handle.Dispose();
}

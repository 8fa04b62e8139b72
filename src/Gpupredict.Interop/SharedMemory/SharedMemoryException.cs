using System.Runtime.InteropServices;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// A shared-memory object (a memfd the daemon creates) could not be created, sized or mapped. The
/// message names the object ("memfd:NAME"), the operation and, for a failed system call, the errno
/// text and number.
/// </summary>
public sealed class SharedMemoryException : IOException
{
    /// <summary>A failure without an errno.</summary>
    public SharedMemoryException(string path, string operation, string reason)
        : base($"{operation} {path}: {reason}")
    {
        Path = path;
        Operation = operation;
    }

    private SharedMemoryException(string path, string operation, int errno)
        : base($"{operation} {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Path = path;
        Operation = operation;
        Errno = errno;
    }

    /// <summary>The object's name, "memfd:NAME".</summary>
    public string Path { get; }

    /// <summary>What was being done: "memfd_create", "ftruncate", "mmap".</summary>
    public string Operation { get; }

    /// <summary>The errno of the failed call; null when no call failed.</summary>
    public int? Errno { get; }

    /// <summary>An exception for the errno the last P/Invoke left; call right after the failing import.</summary>
    internal static SharedMemoryException FromLastError(string path, string operation) =>
        new(path, operation, Marshal.GetLastPInvokeError());
}

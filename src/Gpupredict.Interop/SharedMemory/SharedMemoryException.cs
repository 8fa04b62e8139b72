using System.Runtime.InteropServices;
using Gpupredict.Interop.Native;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// A shared-memory object could not be opened, created, sized, mapped or removed, or is not what it
/// must be (not a regular file, another owner). The message names the path, the operation and, for
/// a failed system call, the errno text and number.
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

    /// <summary>The object's file path.</summary>
    public string Path { get; }

    /// <summary>What was being done: "open", "mmap", "ftruncate", ...</summary>
    public string Operation { get; }

    /// <summary>The errno of the failed call; null when no call failed.</summary>
    public int? Errno { get; }

    /// <summary>True when the object does not exist (ENOENT): an application without a ring yet.</summary>
    public bool IsNotFound => Errno == Libc.ENoEnt;

    /// <summary>An exception for the errno the last P/Invoke left; call right after the failing import.</summary>
    internal static SharedMemoryException FromLastError(string path, string operation) =>
        new(path, operation, Marshal.GetLastPInvokeError());
}

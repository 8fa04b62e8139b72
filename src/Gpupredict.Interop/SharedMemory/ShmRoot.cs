using System.Globalization;
using Gpupredict.Interop.Abi;

namespace Gpupredict.Interop.SharedMemory;

/// <summary>
/// Where POSIX shared-memory objects live as files: <c>/dev/shm</c> on Linux, where the name
/// <c>/gpupredict.42.1234</c> is the file <c>/dev/shm/gpupredict.42.1234</c>. Injected so tests use a
/// temporary directory; everything opened under it goes through open(2) and mmap(2) alike.
/// </summary>
public sealed class ShmRoot
{
    /// <summary>A root at <paramref name="directory"/>, an absolute path.</summary>
    /// <exception cref="ArgumentException">The path is empty or relative.</exception>
    public ShmRoot(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Path.IsPathRooted(directory))
        {
            throw new ArgumentException($"the shm root must be an absolute path, got '{directory}'", nameof(directory));
        }

        Directory = directory;
    }

    /// <summary>The system's root, <c>/dev/shm</c>.</summary>
    public static ShmRoot Default { get; } = new("/dev/shm");

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>The POSIX name of a process's event ring: <see cref="AbiConstants.RingShmPrefix"/> + "pid.starttime".</summary>
    public static string RingName(int pid, ulong startTime) => Name(AbiConstants.RingShmPrefix, pid, startTime);

    /// <summary>The POSIX name of a process's control block: <see cref="AbiConstants.ControlShmPrefix"/> + "pid.starttime".</summary>
    public static string ControlName(int pid, ulong startTime) => Name(AbiConstants.ControlShmPrefix, pid, startTime);

    /// <summary>The file path of POSIX name <paramref name="name"/> ("/x" is the file "x" in <see cref="Directory"/>).</summary>
    /// <exception cref="ArgumentException">The name does not start with '/', holds another '/', or is "/", "/." or "/..".</exception>
    public string PathOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string file = name.StartsWith('/') ? name[1..] : string.Empty;
        if (file.Length == 0 || file.Contains('/', StringComparison.Ordinal) || file is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a POSIX shared-memory name ('/' then a file name)", nameof(name));
        }

        return System.IO.Path.Join(Directory, file);
    }

    /// <summary>The file path of a process's event ring.</summary>
    public string RingPath(int pid, ulong startTime) => PathOf(RingName(pid, startTime));

    /// <summary>The file path of a process's control block.</summary>
    public string ControlPath(int pid, ulong startTime) => PathOf(ControlName(pid, startTime));

    /// <inheritdoc />
    public override string ToString() => Directory;

    private static string Name(string prefix, int pid, ulong startTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{pid}.{startTime}");
    }
}

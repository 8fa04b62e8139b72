using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Native;

/// <summary>
/// open(2) flag values. Most are the same on x86-64 and arm64 Linux; <c>O_NOFOLLOW</c> is not
/// (0x20000 on x86-64, 0x8000 on arm64), so it is chosen by the process architecture.
/// </summary>
internal static class OpenFlags
{
    /// <summary><c>O_RDONLY</c>.</summary>
    public const int ReadOnly = 0x0;

    /// <summary><c>O_RDWR</c>.</summary>
    public const int ReadWrite = 0x2;

    /// <summary><c>O_CREAT</c>.</summary>
    public const int Create = 0x40;

    /// <summary><c>O_CLOEXEC</c>: no descriptor leaks into a child the daemon starts.</summary>
    public const int CloseOnExec = 0x80000;

    /// <summary><c>O_NOFOLLOW</c>: fail with ELOOP when the last path component is a symbolic link.</summary>
    public static int NoFollow => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x20000,
        Architecture.Arm64 => 0x8000,
        Architecture other => throw new PlatformNotSupportedException(
            $"O_NOFOLLOW is defined here for x64 and arm64 Linux only, not {other}"),
    };
}

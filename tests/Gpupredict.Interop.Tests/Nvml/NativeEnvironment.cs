using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>
/// setenv(3) and unsetenv(3): the process environment that native code reads with getenv(3).
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach it on Linux (.NET
/// keeps its own copy), so a variable meant for a native library must be set here.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, or removes it when null.</summary>
    public static void Set(string name, string? value)
    {
        int rc = value is null ? Unsetenv(name) : Setenv(name, value, 1);
        if (rc != 0)
        {
            throw new InvalidOperationException($"setting {name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Setenv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unsetenv(string name);
}

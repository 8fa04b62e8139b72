using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Tests.SharedMemory;

/// <summary>libc calls the tests need and .NET lacks.</summary>
internal static partial class TestLibc
{
    /// <summary>link(2): a second name for <paramref name="existing"/>; 0, or -1 with errno.</summary>
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);
}

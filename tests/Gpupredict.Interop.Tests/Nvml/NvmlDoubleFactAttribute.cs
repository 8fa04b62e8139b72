namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>
/// A test that needs the NVML test double, native/build/testing/libnvidia-ml.so.1; skipped, saying so,
/// when it has not been built (<c>make -C native</c>).
/// </summary>
public sealed class NvmlDoubleFactAttribute : FactAttribute
{
    /// <summary>The double's path in this checkout.</summary>
    public static readonly string LibraryPath = Path.Combine(RepoPaths.Root, "native", "build", "testing", "libnvidia-ml.so.1");

    public NvmlDoubleFactAttribute()
    {
        if (!File.Exists(LibraryPath))
        {
            Skip = $"the NVML test double {LibraryPath} is not built (run make -C native)";
        }
    }
}

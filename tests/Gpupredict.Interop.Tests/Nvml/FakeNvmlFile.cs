namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>
/// An inventory file for the NVML test double (format: native/testing/README.md), named by
/// GP_FAKE_NVML_FILE while this lives. The double reads the variable with getenv(3) at nvmlInit_v2,
/// i.e. in <see cref="Gpupredict.Interop.Nvml.NvmlInventory.Open"/>, so it is set with setenv(3)
/// (<see cref="NativeEnvironment"/>).
/// </summary>
internal sealed class FakeNvmlFile : IDisposable
{
    public const string Variable = "GP_FAKE_NVML_FILE";

    public FakeNvmlFile(params string[] lines)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gp-fake-nvml-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(Path, lines);
        NativeEnvironment.Set(Variable, Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        NativeEnvironment.Set(Variable, null);
        File.Delete(Path);
    }
}

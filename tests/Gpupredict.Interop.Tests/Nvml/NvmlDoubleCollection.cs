namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>
/// Tests that drive the NVML test double: it reads GP_FAKE_NVML_FILE, one variable for the whole
/// process, so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NvmlDoubleCollection
{
    public const string Name = "NVML test double";
}

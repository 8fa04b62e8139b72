namespace Gpupredict.Interop.Nvml;

/// <summary>How opening NVML went (<see cref="NvmlInventory.Open"/>).</summary>
public enum NvmlOpenStatus
{
    /// <summary>Loaded and initialised: <see cref="NvmlOpenResult.Inventory"/> is set.</summary>
    Opened,

    /// <summary>The library could not be loaded: not an NVIDIA host (or the path is wrong).</summary>
    LibraryNotFound,

    /// <summary>The library lacks an entry point gpupredictd needs (a driver too old, or not NVML).</summary>
    EntryPointMissing,

    /// <summary><c>nvmlInit_v2</c> failed; <see cref="NvmlOpenResult.Error"/> says how (e.g. the driver is not loaded).</summary>
    InitFailed,
}

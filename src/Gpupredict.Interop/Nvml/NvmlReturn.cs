namespace Gpupredict.Interop.Nvml;

/// <summary>
/// NVML's <c>nvmlReturn_t</c>, value for value (mirrors native/include/gpupredict/nvml_subset.h, which
/// follows NVIDIA's NVML API reference).
/// </summary>
public enum NvmlReturn
{
    /// <summary>The call succeeded.</summary>
    Success = 0,

    /// <summary>NVML was not initialised (nvmlInit_v2 not called, or shut down).</summary>
    Uninitialized = 1,

    /// <summary>A bad argument: an unknown handle, an index past the count, a NULL pointer.</summary>
    InvalidArgument = 2,

    /// <summary>The device does not support the query (e.g. MIG mode on a GPU without MIG).</summary>
    NotSupported = 3,

    /// <summary>The caller lacks the permission.</summary>
    NoPermission = 4,

    /// <summary>Deprecated by NVIDIA: initialising twice is no longer an error.</summary>
    AlreadyInitialized = 5,

    /// <summary>A query found nothing.</summary>
    NotFound = 6,

    /// <summary>An output buffer was too small; the call usually says how large it must be.</summary>
    InsufficientSize = 7,

    /// <summary>A device's external power cables are not connected.</summary>
    InsufficientPower = 8,

    /// <summary>The NVIDIA driver is not loaded: no usable GPU on this host.</summary>
    DriverNotLoaded = 9,

    /// <summary>The request timed out.</summary>
    Timeout = 10,

    /// <summary>The kernel detected an interrupt problem with a GPU.</summary>
    IrqIssue = 11,

    /// <summary>NVML's shared library could not be found or loaded.</summary>
    LibraryNotFound = 12,

    /// <summary>The library lacks a function (an old driver).</summary>
    FunctionNotFound = 13,

    /// <summary>The infoROM is corrupted.</summary>
    CorruptedInforom = 14,

    /// <summary>The GPU fell off the bus or is otherwise inaccessible.</summary>
    GpuIsLost = 15,

    /// <summary>The GPU must be reset before it can be used again.</summary>
    ResetRequired = 16,

    /// <summary>The operating system blocked the request.</summary>
    OperatingSystem = 17,

    /// <summary>The NVML library and the kernel driver are of different versions.</summary>
    LibRmVersionMismatch = 18,

    /// <summary>The operation cannot proceed because the GPU is in use.</summary>
    InUse = 19,

    /// <summary>Insufficient memory.</summary>
    Memory = 20,

    /// <summary>No data.</summary>
    NoData = 21,

    /// <summary>The vGPU operation failed because ECC is not enabled.</summary>
    VgpuEccNotEnabled = 22,

    /// <summary>Not enough resources for the request.</summary>
    InsufficientResources = 23,

    /// <summary>A clock frequency is not supported.</summary>
    FreqNotSupported = 24,

    /// <summary>A versioned structure of the wrong version was passed.</summary>
    ArgumentVersionMismatch = 25,

    /// <summary>The function is deprecated.</summary>
    Deprecated = 26,

    /// <summary>The system is not ready for the request.</summary>
    NotReady = 27,

    /// <summary>No GPU was found.</summary>
    GpuNotFound = 28,

    /// <summary>The resource is in an invalid state for the request.</summary>
    InvalidState = 29,

    /// <summary>An internal driver error.</summary>
    Unknown = 999,
}

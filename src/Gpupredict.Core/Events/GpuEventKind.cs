namespace Gpupredict.Core.Events;

/// <summary>What a <see cref="GpuEvent"/> observed. Mirrors <c>enum gp_event_kind</c> in <c>native/include/gpupredict/abi.h</c>; values are stable.</summary>
public enum GpuEventKind : ushort
{
    /// <summary>An empty record.</summary>
    None = 0,

    /// <summary>cuMemAlloc / cuMemAllocPitch: bytes = size, address = device pointer.</summary>
    Alloc = 1,

    /// <summary>cuMemAllocAsync / cuMemAllocFromPoolAsync.</summary>
    AllocAsync = 2,

    /// <summary>cuMemAllocManaged.</summary>
    AllocManaged = 3,

    /// <summary>Pinned host memory (cuMemAllocHost, cuMemHostAlloc).</summary>
    AllocHost = 4,

    /// <summary>cuMemCreate + cuMemMap done by the application itself.</summary>
    AllocVmm = 5,

    /// <summary>cuMemFree: address = pointer, bytes = size when known.</summary>
    Free = 10,

    /// <summary>cuMemFreeAsync.</summary>
    FreeAsync = 11,

    /// <summary>Free of managed memory.</summary>
    FreeManaged = 12,

    /// <summary>Free of pinned host memory.</summary>
    FreeHost = 13,

    /// <summary>cuMemUnmap / cuMemRelease done by the application itself.</summary>
    FreeVmm = 14,

    /// <summary>The host-side launch call.</summary>
    KernelLaunch = 20,

    /// <summary>The kernel's execution interval on the GPU.</summary>
    KernelExec = 21,

    /// <summary>Host to device copy.</summary>
    MemcpyHtoD = 30,

    /// <summary>Device to host copy.</summary>
    MemcpyDtoH = 31,

    /// <summary>Device to device copy.</summary>
    MemcpyDtoD = 32,

    /// <summary>Host to host copy through the driver.</summary>
    MemcpyHtoH = 33,

    /// <summary>Copy between two devices.</summary>
    MemcpyPeer = 34,

    /// <summary>Memset.</summary>
    Memset = 35,

    /// <summary>cuCtxSynchronize.</summary>
    SyncContext = 40,

    /// <summary>cuStreamSynchronize.</summary>
    SyncStream = 41,

    /// <summary>cuEventSynchronize.</summary>
    SyncEvent = 42,

    /// <summary>A context was created (or a primary context retained).</summary>
    ContextCreate = 50,

    /// <summary>A context was destroyed (or a primary context released).</summary>
    ContextDestroy = 51,

    /// <summary>A module was loaded.</summary>
    ModuleLoad = 52,

    /// <summary>The process exited.</summary>
    ProcessExit = 53,
}

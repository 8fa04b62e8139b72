namespace Gpupredict.Core.Demand;

/// <summary>
/// What an application did in one 10 ms step, beyond the demand it created: counts and bytes of
/// its CUDA calls and GPU operations, by kind (<see cref="ActivitySeries"/>). These are the
/// event-derived features forecasters may learn from: API-call mix, allocation churn, copy
/// directions, kernel rate and transfer sizes. Values are stable: saved models index by them.
/// </summary>
public enum ActivityChannel
{
    /// <summary>Kernel launch calls on the host (cuLaunchKernel, cudaLaunchKernel, …).</summary>
    Launches = 0,

    /// <summary>Kernel executions that started on the GPU.</summary>
    Kernels = 1,

    /// <summary>Device allocation calls (plain, async, managed, VMM).</summary>
    Allocations = 2,

    /// <summary>Device free calls.</summary>
    Frees = 3,

    /// <summary>Bytes allocated by those calls, where the size is known.</summary>
    AllocatedBytes = 4,

    /// <summary>Bytes freed, where the size is known (or paired by address).</summary>
    FreedBytes = 5,

    /// <summary>Bytes copied host to device.</summary>
    HostToDeviceBytes = 6,

    /// <summary>Bytes copied device to host.</summary>
    DeviceToHostBytes = 7,

    /// <summary>Bytes copied device to device, on one GPU or between two.</summary>
    DeviceToDeviceBytes = 8,

    /// <summary>Bytes set by memsets.</summary>
    MemsetBytes = 9,

    /// <summary>Copies and memsets (their count; bytes / count is the mean transfer size).</summary>
    Transfers = 10,

    /// <summary>Synchronisation calls (context, stream, event).</summary>
    Synchronizations = 11,
}

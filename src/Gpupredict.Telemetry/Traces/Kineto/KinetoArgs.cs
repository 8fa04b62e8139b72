using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>The fields of a Kineto event's <c>args</c> object that the importer uses; -1 or 0 when absent.</summary>
internal struct KinetoArgs
{
    /// <summary><c>device</c> of a GPU row; -1 when absent.</summary>
    public long Device;

    /// <summary><c>stream</c> (a number, or a hex string in ROCm traces); -1 when absent.</summary>
    public long Stream;

    /// <summary><c>correlation</c>: links a GPU row to the host call that issued it; 0 when absent.</summary>
    public long Correlation;

    /// <summary><c>grid</c> x, y, z.</summary>
    public long GridX, GridY, GridZ;

    /// <summary><c>block</c> x, y, z.</summary>
    public long BlockX, BlockY, BlockZ;

    /// <summary><c>shared memory</c> per block, bytes.</summary>
    public long SharedMemory;

    /// <summary><c>bytes</c> of a memcpy/memset; -1 when absent.</summary>
    public long CopyBytes;

    /// <summary><c>size</c> of a host copy call (ROCm runtime rows); -1 when absent.</summary>
    public long CallSize;

    /// <summary>Direction from <c>kind</c> (ROCm copy rows), <see cref="GpuEventKind.None"/> when absent.</summary>
    public GpuEventKind CopyKind;

    /// <summary><c>Device Type</c> of a <c>[memory]</c> event (1 = CUDA); -1 when absent.</summary>
    public long DeviceType;

    /// <summary><c>Device Id</c> of a <c>[memory]</c> event.</summary>
    public long DeviceId;

    /// <summary><c>Addr</c> of a <c>[memory]</c> event.</summary>
    public long Address;

    /// <summary><c>Bytes</c> of a <c>[memory]</c> event: positive for an allocation, negative for a free.</summary>
    public long MemoryBytes;

    /// <summary><c>Total Allocated</c> after the event; -1 when absent.</summary>
    public long TotalAllocated;

    /// <summary><c>Total Reserved</c> after the event; -1 when absent.</summary>
    public long TotalReserved;

    /// <summary><c>Ev Idx</c>: the profiler's event order; -1 when absent.</summary>
    public long EventIndex;

    /// <summary><c>name</c> (process and thread names of metadata events).</summary>
    public string? Name;

    /// <summary>Resets every field to "absent".</summary>
    public void Clear()
    {
        this = default;
        Device = Stream = CopyBytes = CallSize = DeviceType = TotalAllocated = TotalReserved = EventIndex = -1;
    }
}

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>The property names of Kineto events and their <c>args</c> that the importer reads.</summary>
internal enum KinetoKey : byte
{
    /// <summary>Any other property.</summary>
    Other = 0,

    /// <summary><c>ph</c>.</summary>
    Ph,

    /// <summary><c>cat</c>.</summary>
    Cat,

    /// <summary><c>name</c>.</summary>
    Name,

    /// <summary><c>pid</c>.</summary>
    Pid,

    /// <summary><c>tid</c>.</summary>
    Tid,

    /// <summary><c>ts</c>.</summary>
    Ts,

    /// <summary><c>dur</c>.</summary>
    Dur,

    /// <summary><c>args</c>.</summary>
    Args,

    /// <summary><c>device</c>.</summary>
    Device,

    /// <summary><c>stream</c>.</summary>
    Stream,

    /// <summary><c>correlation</c>.</summary>
    Correlation,

    /// <summary><c>bytes</c> (copies and memsets).</summary>
    CopyBytes,

    /// <summary><c>grid</c>.</summary>
    Grid,

    /// <summary><c>block</c>.</summary>
    Block,

    /// <summary><c>shared memory</c>.</summary>
    SharedMemory,

    /// <summary><c>size</c>.</summary>
    Size,

    /// <summary><c>kind</c>.</summary>
    Kind,

    /// <summary><c>Device Type</c>.</summary>
    DeviceType,

    /// <summary><c>Device Id</c>.</summary>
    DeviceId,

    /// <summary><c>Addr</c>.</summary>
    Addr,

    /// <summary><c>Bytes</c> ([memory] events).</summary>
    MemoryBytes,

    /// <summary><c>Total Allocated</c>.</summary>
    TotalAllocated,

    /// <summary><c>Total Reserved</c>.</summary>
    TotalReserved,

    /// <summary><c>Ev Idx</c>.</summary>
    EventIndex,
}

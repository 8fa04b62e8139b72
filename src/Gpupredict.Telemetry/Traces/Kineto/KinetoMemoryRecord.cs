namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>One CUDA <c>[memory]</c> allocator event of a Kineto trace.</summary>
/// <param name="TimestampNs">When, ns.</param>
/// <param name="Order">The profiler's order (<c>Ev Idx</c>, else the position in the file) among equal times.</param>
/// <param name="Pid">The host process.</param>
/// <param name="Tid">The host thread.</param>
/// <param name="Device">The CUDA device (<c>Device Id</c>).</param>
/// <param name="Address">The block address.</param>
/// <param name="Bytes">Positive for an allocation, negative for a free.</param>
/// <param name="TotalAllocated">Bytes in live blocks after the event; -1 when absent.</param>
/// <param name="TotalReserved">Bytes the allocator holds from the driver after the event; -1 when absent.</param>
internal readonly record struct KinetoMemoryRecord(long TimestampNs, long Order, long Pid, long Tid, long Device, long Address, long Bytes, long TotalAllocated, long TotalReserved);

using System.Runtime.InteropServices;

namespace Gpupredict.Core.Events;

/// <summary>
/// One observation: an API call, a GPU execution interval, an allocation. The managed mirror of
/// <c>struct gp_event</c> in <c>native/include/gpupredict/abi.h</c> (112 bytes); field order, sizes
/// and offsets match the C side exactly, which a test checks against the C compiler's own report.
/// Times are nanoseconds (CLOCK_MONOTONIC for live sources; the trace's clock for imports); sizes are bytes.
/// Fields a kind does not use are zero.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8, Size = SizeBytes)]
public struct GpuEvent
{
    /// <summary>sizeof(struct gp_event).</summary>
    public const int SizeBytes = 112;

    /// <summary>Start, ns.</summary>
    public ulong TimestampNs;

    /// <summary>End, ns; equals <see cref="TimestampNs"/> for an instant.</summary>
    public ulong EndNs;

    /// <summary>Allocation, copy or set size in bytes.</summary>
    public ulong Bytes;

    /// <summary>Device pointer (alloc/free) or copy destination.</summary>
    public ulong Address;

    /// <summary>CUstream handle value; 0 = default stream.</summary>
    public ulong Stream;

    /// <summary>Links a launch to its execution.</summary>
    public ulong CorrelationId;

    /// <summary>Process id.</summary>
    public uint Pid;

    /// <summary>Thread id.</summary>
    public uint Tid;

    /// <summary>Grid dimension x.</summary>
    public uint GridX;

    /// <summary>Grid dimension y.</summary>
    public uint GridY;

    /// <summary>Grid dimension z.</summary>
    public uint GridZ;

    /// <summary>Block dimension x.</summary>
    public uint BlockX;

    /// <summary>Block dimension y.</summary>
    public uint BlockY;

    /// <summary>Block dimension z.</summary>
    public uint BlockZ;

    /// <summary>What was observed.</summary>
    public GpuEventKind Kind;

    /// <summary>Qualifiers.</summary>
    public GpuEventFlags Flags;

    /// <summary>CUDA device ordinal; -1 when unknown.</summary>
    public int Device;

    /// <summary>CUresult of the call; 0 on success.</summary>
    public int Result;

    /// <summary>Static plus dynamic shared memory per block, bytes.</summary>
    public uint SharedMemBytes;

    /// <summary>Which hooked entry point produced the event.</summary>
    public uint ApiId;

    /// <summary>Reserved; zero.</summary>
    public uint Reserved0;

    /// <summary>Reserved; zero.</summary>
    public ulong Reserved1;

    /// <summary>Duration in ns (0 for an instant or an inverted interval).</summary>
    public readonly ulong DurationNs => EndNs > TimestampNs ? EndNs - TimestampNs : 0;
}

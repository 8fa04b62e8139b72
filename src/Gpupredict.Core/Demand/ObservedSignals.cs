namespace Gpupredict.Core.Demand;

/// <summary>
/// Which parts of a demand series were observed, so that consumers (and reports) can say what is
/// measured and what is missing. A resource whose flag is absent is reported as 0 in the series.
/// </summary>
[Flags]
public enum ObservedSignals
{
    /// <summary>Nothing observed.</summary>
    None = 0,

    /// <summary>SM busy fraction from GPU kernel execution intervals (CUPTI or profiler timestamps).</summary>
    SmFromGpuIntervals = 1 << 0,

    /// <summary>SM busy fraction estimated from launch/synchronize timing (no GPU timestamps).</summary>
    SmEstimated = 1 << 1,

    /// <summary>Bandwidth from memcpy and memset bytes (exact for copies; kernel DRAM traffic not included).</summary>
    BandwidthFromCopies = 1 << 2,

    /// <summary>Bandwidth including kernel DRAM traffic from hardware counters.</summary>
    BandwidthFromCounters = 1 << 3,

    /// <summary>VRAM from allocation and free events.</summary>
    VramFromAllocations = 1 << 4,
}

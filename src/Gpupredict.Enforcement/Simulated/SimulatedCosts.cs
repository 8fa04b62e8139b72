namespace Gpupredict.Enforcement.Simulated;

/// <summary>
/// The simulated node's cost model for serving an allocation, in nanoseconds. These are
/// ESTIMATES, not measurements: the defaults are orders of magnitude for mapping fresh device
/// memory through the driver (create + map + set access per 2 MiB chunk) against handing out an
/// already-mapped chunk from the interposer's pool. Replace them with figures measured on a GPU.
/// </summary>
public sealed record SimulatedCosts
{
    /// <summary>Fixed cost of one fresh allocation through the driver, ns. Default 10 µs (estimate).</summary>
    public long FreshAllocFixedNs { get; init; } = 10_000;

    /// <summary>Cost per fresh 2 MiB chunk mapped, ns. Default 30 µs (estimate).</summary>
    public long FreshAllocPerChunkNs { get; init; } = 30_000;

    /// <summary>Cost of serving an allocation from pre-mapped chunks, ns. Default 1 µs (estimate).</summary>
    public long PoolHitNs { get; init; } = 1_000;

    /// <summary>How long one step lasts on the node's clock, ns: 10 ms, or a dataset's sampling period. Turns pauses into steps.</summary>
    public long StepNs { get; init; } = Core.Demand.TimeBase.StepNs;
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Training.Evaluation;

/// <summary>Which resources a series' <see cref="ObservedSignals"/> make worth scoring.</summary>
internal static class ObservedResources
{
    /// <summary>
    /// True when <paramref name="observed"/> carries a measurement (or estimate) of <paramref name="resource"/>:
    /// SM from GPU intervals or estimated, bandwidth from copies or counters, VRAM from allocations.
    /// An unobserved resource is 0 in the series, and scoring a forecast against that 0 would reward nothing real.
    /// </summary>
    public static bool Includes(ObservedSignals observed, Resource resource) => (observed & Flags(resource)) != 0;

    private static ObservedSignals Flags(Resource resource) => resource switch
    {
        Resource.Sm => ObservedSignals.SmFromGpuIntervals | ObservedSignals.SmEstimated,
        Resource.MemoryBandwidth => ObservedSignals.BandwidthFromCopies | ObservedSignals.BandwidthFromCounters,
        Resource.Vram => ObservedSignals.VramFromAllocations,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The bucket scheme of each resource for the VPA and Autopilot baselines: VPA's 5 % growth
/// (ratio 1.05) everywhere. SM fraction is bucketed like VPA's CPU (first bucket 0.001, i.e. a
/// thousandth of the GPU as VPA's is a millicore) up to 1; bandwidth, the other rate, from 1 MB/s
/// to 10 TB/s (above any HBM today); VRAM exactly like VPA's memory (first bucket 10 MB, up to 1 TB).
/// </summary>
internal static class BaselineBuckets
{
    /// <summary>VPA's bucket growth: each bucket 5 % wider than the one before.</summary>
    public const double Ratio = 1.05;

    /// <summary>SM busy fraction: 82 buckets over [0, 1].</summary>
    public static readonly ExponentialBuckets Sm = new(1.0, 0.001, Ratio);

    /// <summary>Bandwidth in bytes/s: 270 buckets over [0, 1e13].</summary>
    public static readonly ExponentialBuckets Bandwidth = new(1e13, 1e6, Ratio);

    /// <summary>VRAM in bytes: 176 buckets over [0, 1e12], as VPA's memory histogram.</summary>
    public static readonly ExponentialBuckets Vram = new(1e12, 1e7, Ratio);

    /// <summary>The scheme for <paramref name="resource"/>.</summary>
    public static ExponentialBuckets For(Resource resource) => resource switch
    {
        Resource.Sm => Sm,
        Resource.MemoryBandwidth => Bandwidth,
        Resource.Vram => Vram,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };
}

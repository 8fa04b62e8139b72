namespace Gpupredict.Core.Demand;

/// <summary>The three GPU resources gpupredictd forecasts and allocates.</summary>
public enum Resource
{
    /// <summary>SM busy fraction, 0..1: share of a 10 ms step in which a kernel of the application ran.</summary>
    Sm = 0,

    /// <summary>Memory bandwidth in bytes per second over the step.</summary>
    MemoryBandwidth = 1,

    /// <summary>Device memory held, in bytes, at the end of the step.</summary>
    Vram = 2,
}

/// <summary>Facts about <see cref="Resource"/>.</summary>
public static class Resources
{
    /// <summary>The number of resources; the length of every per-resource array.</summary>
    public const int Count = 3;

    private static readonly Resource[] AllResources = [Resource.Sm, Resource.MemoryBandwidth, Resource.Vram];

    /// <summary>All resources in index order (a view of one static array: iterating allocates nothing).</summary>
    public static ReadOnlySpan<Resource> All => AllResources;

    /// <summary>The unit a value of <paramref name="resource"/> is expressed in.</summary>
    public static string Unit(this Resource resource) => resource switch
    {
        Resource.Sm => "fraction",
        Resource.MemoryBandwidth => "B/s",
        Resource.Vram => "B",
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };
}

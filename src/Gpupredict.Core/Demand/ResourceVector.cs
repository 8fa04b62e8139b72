namespace Gpupredict.Core.Demand;

/// <summary>
/// An amount of each GPU resource: SM busy fraction (0..1), memory bandwidth (bytes/s) and VRAM (bytes).
/// Used for demand, forecasts and allocations alike.
/// </summary>
/// <param name="SmFraction">SM busy fraction, 0..1 (1 = kernels ran for the whole step).</param>
/// <param name="BandwidthBytesPerSecond">Memory bandwidth in bytes per second.</param>
/// <param name="VramBytes">Device memory in bytes.</param>
public readonly record struct ResourceVector(double SmFraction, double BandwidthBytesPerSecond, double VramBytes)
{
    /// <summary>Nothing of anything.</summary>
    public static ResourceVector Zero => default;

    /// <summary>The value for <paramref name="resource"/>.</summary>
    public double this[Resource resource] => resource switch
    {
        Resource.Sm => SmFraction,
        Resource.MemoryBandwidth => BandwidthBytesPerSecond,
        Resource.Vram => VramBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };

    /// <summary>A copy with <paramref name="resource"/> set to <paramref name="value"/>.</summary>
    public ResourceVector With(Resource resource, double value) => resource switch
    {
        Resource.Sm => this with { SmFraction = value },
        Resource.MemoryBandwidth => this with { BandwidthBytesPerSecond = value },
        Resource.Vram => this with { VramBytes = value },
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };

    /// <summary>Component-wise sum.</summary>
    public static ResourceVector operator +(ResourceVector a, ResourceVector b) =>
        new(a.SmFraction + b.SmFraction, a.BandwidthBytesPerSecond + b.BandwidthBytesPerSecond, a.VramBytes + b.VramBytes);

    /// <summary>Component-wise difference.</summary>
    public static ResourceVector operator -(ResourceVector a, ResourceVector b) =>
        new(a.SmFraction - b.SmFraction, a.BandwidthBytesPerSecond - b.BandwidthBytesPerSecond, a.VramBytes - b.VramBytes);

    /// <summary>Component-wise maximum.</summary>
    public static ResourceVector Max(ResourceVector a, ResourceVector b) =>
        new(Math.Max(a.SmFraction, b.SmFraction), Math.Max(a.BandwidthBytesPerSecond, b.BandwidthBytesPerSecond), Math.Max(a.VramBytes, b.VramBytes));

    /// <summary>True when every component of this vector is at most the same component of <paramref name="other"/>.</summary>
    public bool FitsWithin(ResourceVector other) =>
        SmFraction <= other.SmFraction && BandwidthBytesPerSecond <= other.BandwidthBytesPerSecond && VramBytes <= other.VramBytes;
}

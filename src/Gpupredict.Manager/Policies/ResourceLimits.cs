namespace Gpupredict.Manager.Policies;

/// <summary>An amount of one GPU: bytes of VRAM and a share of its SMs.</summary>
/// <param name="VramBytes">Device memory in bytes; <see cref="ulong.MaxValue"/> means no limit.</param>
/// <param name="SmShare">Fraction of the GPU's SMs, in [0, 1] (not percent).</param>
public sealed record ResourceLimits(ulong VramBytes, double SmShare)
{
    /// <summary>Nothing: the default floor and reserve.</summary>
    public static ResourceLimits Zero { get; } = new(0, 0);

    /// <summary>The whole GPU: no VRAM limit and every SM.</summary>
    public static ResourceLimits WholeGpu { get; } = new(ulong.MaxValue, 1.0);
}

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Oversubscription: quotas on one GPU may add up to more than its capacity, but only while the sum
/// of the applications' forecast <see cref="Quantile"/> still fits.
/// </summary>
/// <param name="Enabled">Whether quotas may add up beyond capacity at all.</param>
/// <param name="Quantile">The forecast quantile level whose sum over a GPU's applications must fit, in (0.5, 1).</param>
/// <param name="MaxFactor">The sum of quotas may reach this multiple of capacity, ≥ 1.</param>
public sealed record OversubscriptionPolicy(bool Enabled, double Quantile, double MaxFactor)
{
    /// <summary>
    /// Off (work-conserving reservations already share each GPU's headroom, and on the Alibaba pods
    /// the quota factor only added misses); when enabled, quantile 0.99, factor 1.5.
    /// </summary>
    public static OversubscriptionPolicy Default { get; } = new(false, 0.99, 1.5);
}

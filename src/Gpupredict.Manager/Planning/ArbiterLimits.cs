using Gpupredict.Core.Demand;

namespace Gpupredict.Manager.Planning;

/// <summary>Node-wide limits the <see cref="CapacityArbiter"/> fits grants into.</summary>
/// <param name="Reserve">Held back on every GPU.</param>
/// <param name="MaxOversubscription">Quotas and SM shares on a GPU may add up to this multiple of what is left after the reserve, while the likely demand fits; 1 = never.</param>
/// <param name="Migration">Settings for relieving hot GPUs; null = never migrate.</param>
/// <param name="WorkConserving">After every tier is served, set each grant's reservation (median plus pooled headroom) and raise its limits into what no reservation on the GPU claims.</param>
/// <param name="LimitHysteresis">With work-conserving caps, a quota or pre-map target in force is kept while it is safe and at most this fraction below the new one.</param>
internal sealed record ArbiterLimits(ResourceVector Reserve, double MaxOversubscription, ForecastPlannerOptions? Migration, bool WorkConserving = false, double LimitHysteresis = 0)
{
    /// <summary>No reserve, no oversubscription, no migration.</summary>
    public static ArbiterLimits Strict { get; } = new(ResourceVector.Zero, 1, null);
}

namespace Gpupredict.Manager.Policies;

/// <summary>Node-wide constraints: what is held back on every GPU and which reclamation tools may run.</summary>
/// <param name="Reserve">Held back on every GPU and never granted to an application.</param>
/// <param name="Oversubscription">How far quotas may add up beyond a GPU's capacity.</param>
/// <param name="Suspend">When idle applications are checkpointed to free their VRAM.</param>
/// <param name="Migration">When applications are moved between GPUs.</param>
/// <param name="Mps">Whether the node runs MPS and how it is partitioned.</param>
/// <param name="WorkConserving">Reservations at each GPU's pooled headroom, limits into what no reservation claims (see <c>policies/README.md</c>).</param>
/// <param name="UpperQuantile">The forecast quantile level the planner grants, a fraction in [<see cref="MinUpperQuantile"/>, <see cref="MaxUpperQuantile"/>] (0.99 = the 99th percentile).</param>
public sealed record NodePolicy(
    ResourceLimits Reserve,
    OversubscriptionPolicy Oversubscription,
    SuspendPolicy Suspend,
    MigrationPolicy Migration,
    MpsPolicy Mps,
    bool WorkConserving,
    double UpperQuantile)
{
    /// <summary>The lowest <see cref="UpperQuantile"/>: below the median a grant would be short more often than not.</summary>
    public const double MinUpperQuantile = 0.5;

    /// <summary>The highest <see cref="UpperQuantile"/>: quantile forecasts do not reach 1.</summary>
    public const double MaxUpperQuantile = 0.999;

    /// <summary>The defaults: nothing reserved, no oversubscription, no suspension, migration on, no MPS, work-conserving, grants at the 0.99 quantile.</summary>
    public static NodePolicy Default { get; } = new(
        ResourceLimits.Zero,
        OversubscriptionPolicy.Default,
        SuspendPolicy.Default,
        MigrationPolicy.Default,
        MpsPolicy.Default,
        WorkConserving: true,
        UpperQuantile: 0.99);
}

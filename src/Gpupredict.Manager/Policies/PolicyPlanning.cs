using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;

namespace Gpupredict.Manager.Policies;

/// <summary>Turns loaded policies into what the planner takes: its options and each application's constraints.</summary>
public static class PolicyPlanning
{
    /// <summary>
    /// The forecast planner's options on a node with steps of <paramref name="stepNs"/> under
    /// <paramref name="node"/> — the one source of node-level settings: reserve, upper quantile,
    /// oversubscription (off = factor 1), suspension (off = never), migration, MPS and work-conserving
    /// caps, with durations turned into whole steps (rounded up, at least one). The planner's own tuning
    /// (headroom, hysteresis, surge, checkpoint cost estimates) comes from <paramref name="tuning"/>
    /// (its defaults when null), whose grant window keeps its duration: 10 steps of 10 ms are one step of 57 s.
    /// Overrides (a command's options) are applied by the caller afterwards, with <c>with</c>.
    /// </summary>
    /// <param name="node">The node policy.</param>
    /// <param name="stepNs">How long one step lasts on the node, ns, ≥ 1.</param>
    /// <param name="tuning">The planner's own settings; node-level ones in it are ignored.</param>
    public static ForecastPlannerOptions Options(NodePolicy node, long stepNs, ForecastPlannerOptions? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepNs, 1);
        ForecastPlannerOptions o = tuning ?? new ForecastPlannerOptions();
        double windowNs = (double)o.WindowSteps * o.StepNs;
        return o with
        {
            StepNs = stepNs,
            WindowSteps = Math.Max(1, (int)Math.Min(int.MaxValue, Math.Round(windowNs / stepNs))),
            UpperQuantile = node.UpperQuantile,
            Reserve = new ResourceVector(node.Reserve.SmShare, 0, node.Reserve.VramBytes),
            MaxOversubscription = node.Oversubscription.Enabled ? node.Oversubscription.MaxFactor : 1,
            OversubscriptionQuantile = node.Oversubscription.Quantile,
            SuspendAfterSteps = node.Suspend.Enabled ? Math.Max(1, TimeBase.StepsCovering(node.Suspend.IdleAfter, stepNs)) : 0,
            RestoreLeadSteps = (int)Math.Clamp(TimeBase.StepsCovering(node.Suspend.RestoreLead, stepNs), 1, int.MaxValue),
            MigrationEnabled = node.Migration.Enabled,
            MaxMigrationPauseNs = (long)Int128.Min(long.MaxValue, (Int128)node.Migration.MaxPause.Ticks * 100),
            MinMigrationGain = node.Migration.MinGain,
            MpsPartitions = node.Mps.Enabled,
            MpsRepartitionPoints = node.Mps.RepartitionPoints,
            WorkConserving = node.WorkConserving,
        };
    }

    /// <summary>The planner's constraints for an application under <paramref name="policy"/>.</summary>
    public static PlanConstraints Constraints(AppPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ResourceLimits ceiling = policy.Ceiling ?? ResourceLimits.WholeGpu;
        return new PlanConstraints(
            policy.Floor.VramBytes,
            policy.Floor.SmShare,
            Math.Max(ceiling.VramBytes, policy.Floor.VramBytes),
            Math.Max(ceiling.SmShare, policy.Floor.SmShare),
            policy.MaySuspend,
            policy.MayMigrate);
    }
}

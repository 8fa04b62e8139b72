using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;

namespace Gpupredict.Manager.Policies;

/// <summary>Turns loaded policies into what the planner takes: its options and each application's constraints.</summary>
public static class PolicyPlanning
{
    /// <summary>
    /// The forecast planner's options under <paramref name="node"/>: reserve, oversubscription (off =
    /// factor 1), suspension (off = never) and migration, with durations in steps of
    /// <paramref name="stepSeconds"/>, and the grant window kept at the same duration as <paramref name="defaults"/>' at 10 ms
    /// steps (10 steps = 100 ms; at least one step); everything else from <paramref name="defaults"/>.
    /// </summary>
    public static ForecastPlannerOptions Options(NodePolicy node, double stepSeconds, ForecastPlannerOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSeconds);
        ForecastPlannerOptions o = defaults ?? new ForecastPlannerOptions();
        return o with
        {
            StepNs = Math.Max(1, (long)Math.Min(long.MaxValue, stepSeconds * 1e9)),
            WindowSteps = Math.Max(1, (int)Math.Round(o.WindowSteps * 0.01 / stepSeconds)),
            Reserve = new ResourceVector(node.Reserve.SmShare, 0, node.Reserve.VramBytes),
            MaxOversubscription = node.Oversubscription.Enabled ? node.Oversubscription.MaxFactor : 1,
            OversubscriptionQuantile = node.Oversubscription.Quantile,
            SuspendAfterSteps = node.Suspend.Enabled ? Math.Max(1, (long)Math.Ceiling(node.Suspend.IdleAfter.TotalSeconds / stepSeconds)) : 0,
            RestoreLeadSteps = Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(node.Suspend.RestoreLead.TotalSeconds / stepSeconds))),
            MigrationEnabled = node.Migration.Enabled,
            MaxMigrationPauseNs = (long)Math.Min(long.MaxValue, node.Migration.MaxPause.TotalSeconds * 1e9),
            MinMigrationGain = node.Migration.MinGain,
            MpsPartitions = node.Mps.Enabled,
            MpsRepartitionPoints = node.Mps.RepartitionPoints,
            WorkConserving = node.WorkConserving || o.WorkConserving,
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

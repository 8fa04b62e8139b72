using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Allocates ahead of forecast demand. Each application's VRAM quota and pre-map target follow the
/// forecast's upper quantile over the next <see cref="ForecastPlannerOptions.WindowSteps"/> steps,
/// its SM share the same quantile of SM demand, each with a relative headroom, clamped to the policy's
/// floor and ceiling, through <see cref="AllocationContract"/> (grow at once, shrink past the
/// hysteresis). Dynamic adjustment: when demand has run above the forecast interval for
/// <see cref="ForecastPlannerOptions.SustainSteps"/> steps, the headroom grows by the surge factor;
/// when it has run below, the grant shrinks at once. Reclamation: an application idle for
/// <see cref="ForecastPlannerOptions.SuspendAfterSteps"/> whose median forecast shows no work is
/// suspended (if policy allows); a suspended one is restored as soon as its forecast (or its own
/// demand) shows work within the restore lead. Capacity, priorities, oversubscription and migration
/// are the <see cref="CapacityArbiter"/>'s.
/// </summary>
public sealed class ForecastPlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "forecast";

    /// <summary>SM below this fraction counts as no work.</summary>
    private const double IdleSm = 0.01;

    private readonly ArbiterLimits _limits;

    /// <summary>Creates the planner.</summary>
    public ForecastPlanner(ForecastPlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _limits = new ArbiterLimits(options.Reserve, options.MaxOversubscription, options, options.WorkConserving, options.Hysteresis);
    }

    /// <summary>The planner's settings.</summary>
    public ForecastPlannerOptions Options { get; }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <summary>Lower and upper: <see cref="ForecastPlannerOptions.LowerQuantile"/> and <see cref="ForecastPlannerOptions.UpperQuantile"/>; likely: the oversubscription quantile.</summary>
    public QuantileRoles Quantiles => new(Options.LowerQuantile, 0.5, Options.UpperQuantile, Options.OversubscriptionQuantile);

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(requests);
        var active = new List<PlanRequest>(requests.Count);
        var restored = new HashSet<Core.Apps.AppId>();
        var suspends = new List<SlowAction>();
        foreach (PlanRequest r in requests)
        {
            if (view.Suspended.ContainsKey(r.App))
            {
                if (WorkAhead(r))
                {
                    restored.Add(r.App);
                    active.Add(r);
                }
            }
            else if (ShouldSuspend(view, r))
            {
                int gpu = view.Current[r.App].Gpu;
                suspends.Add(new SlowAction(SlowActionKind.Suspend, r.App, gpu, gpu, 0, VramGranularity.RoundUp(r.Current.VramBytes), Options.TransferPauseNs(r.Current.VramBytes),
                    $"idle for {r.Behaviour.IdleSteps} steps and no work forecast"));
            }
            else
            {
                active.Add(r);
            }
        }

        AllocationPlan plan = CapacityArbiter.Arbitrate(view, active, r => WantOf(view, r), view.Step + Options.WindowSteps, _limits);
        // Order of execution: what frees memory first (suspends, then moves off hot GPUs), then restores.
        var actions = new List<SlowAction>(restored.Count + suspends.Count + plan.Actions.Count);
        actions.AddRange(suspends);
        actions.AddRange(plan.Actions);
        Dictionary<Core.Apps.AppId, PlanRequest>? restoring = restored.Count == 0 ? null : active.Where(r => restored.Contains(r.App)).ToDictionary(r => r.App);
        foreach (GpuAllocation a in plan.Allocations.Where(a => restored.Contains(a.App)))
        {
            PlanRequest r = restoring![a.App];
            actions.Add(new SlowAction(SlowActionKind.Restore, a.App, view.Suspended[a.App], a.Gpu, 0, VramGranularity.RoundUp(r.Current.VramBytes), Options.TransferPauseNs(r.Current.VramBytes), "work forecast within the restore lead"));
        }

        if (Options.MpsPartitions)
        {
            actions.AddRange(MpsPartitions(view, plan.Allocations));
        }

        return plan with { Actions = actions };
    }

    /// <summary>
    /// With MPS, an application's share is fixed when it creates a CUDA context, so its partition is
    /// set ahead of that: for a new application (its first grant), and again when its granted share
    /// has moved by <see cref="ForecastPlannerOptions.MpsRepartitionPoints"/> or more (its next
    /// context gets the new one). The percentage is the share rounded up, 1..100.
    /// </summary>
    private IEnumerable<SlowAction> MpsPartitions(NodeView view, IReadOnlyList<GpuAllocation> grants)
    {
        foreach (GpuAllocation a in grants)
        {
            int percent = MpsPercent(a.SmShare);
            bool first = !view.Current.TryGetValue(a.App, out GpuAllocation before);
            int previous = first ? 0 : MpsPercent(before.SmShare);
            if (first || Math.Abs(percent - previous) >= Options.MpsRepartitionPoints)
            {
                yield return new SlowAction(SlowActionKind.SetMpsPartition, a.App, a.Gpu, a.Gpu, percent, 0, 0,
                    first ? "first grant: partition for the contexts it creates" : $"share moved from {previous} % to {percent} %");
            }
        }
    }

    /// <summary>An SM share as an MPS active-thread percentage: rounded up, 1..100.</summary>
    private static int MpsPercent(double share) => Math.Clamp((int)Math.Ceiling((share * 100) - 1e-9), 1, 100);

    /// <summary>Idle long enough, allowed, granted now, and the median forecast shows no work ahead.</summary>
    private bool ShouldSuspend(NodeView view, PlanRequest r) =>
        Options.SuspendAfterSteps > 0
        && r.Behaviour.IdleSteps >= Options.SuspendAfterSteps
        && r.Limits.MaySuspend
        && view.Current.ContainsKey(r.App)
        && !WorkAhead(r);

    /// <summary>The median forecast shows SM work or memory growth within the restore lead, or the application is busy now.</summary>
    private bool WorkAhead(PlanRequest r)
    {
        if (r.Current.SmFraction > IdleSm || r.Behaviour.IdleSteps == 0)
        {
            return true;
        }

        ResourceVector median = r.Forecast.MaxOver(Options.RestoreLeadSteps, r.Forecast.LevelIndex(Quantiles.Median));
        return median.SmFraction > IdleSm || median.VramBytes > r.Current.VramBytes + VramGranularity.ChunkBytes;
    }

    private Want WantOf(NodeView view, PlanRequest r)
    {
        PlanConstraints limits = r.Limits;
        DemandTracking behaviour = r.Behaviour;
        bool surge = behaviour.AboveSteps >= Options.SustainSteps;
        bool fall = behaviour.BelowSteps >= Options.SustainSteps;
        double headroom = 1 + Options.Headroom + (surge ? Options.SurgeFactor : 0);

        // Exact levels: a forecast without one of them fails here, naming it, instead of granting a neighbour.
        ResourceVector upper = r.Forecast.MaxOver(Options.WindowSteps, r.Forecast.LevelIndex(Options.UpperQuantile));
        ResourceVector likely = r.Forecast.MaxOver(Options.WindowSteps, r.Forecast.LevelIndex(Options.OversubscriptionQuantile));
        ResourceVector median = r.Forecast.MaxOver(Options.WindowSteps, r.Forecast.LevelIndex(Quantiles.Median));
        ulong held = VramGranularity.RoundUp(r.Current.VramBytes);
        double vramPredicted = Math.Max(held, upper.VramBytes * headroom);
        double smPredicted = Math.Clamp(Math.Max(upper.SmFraction, surge ? r.Current.SmFraction : 0) * headroom, 0, 1);

        double vram = vramPredicted, sm = smPredicted;
        if (view.Current.TryGetValue(r.App, out GpuAllocation current))
        {
            // Lent capacity (work-conserving caps) is not the application's to keep: only the part of
            // the current grant within the hysteresis band of the prediction counts as held.
            double currentVram = Options.WorkConserving ? Math.Min(current.VramQuotaBytes, vramPredicted * (1 + Options.Hysteresis)) : current.VramQuotaBytes;
            double currentSm = Options.WorkConserving ? Math.Min(current.SmShare, smPredicted * (1 + Options.Hysteresis)) : current.SmShare;
            vram = AllocationContract.Next(vramPredicted, currentVram, Options.Hysteresis, 0, fall);
            sm = AllocationContract.Next(smPredicted, currentSm, Options.Hysteresis, Options.SmHysteresisAbsolute, fall);
        }

        ulong quota = Math.Max(held, limits.ClampVram(VramGranularity.RoundUp(vram)));
        ulong floor = Math.Max(held, Math.Min(limits.ClampVram(0), quota));
        return new Want(
            quota,
            quota,
            limits.ClampSm(sm),
            floor,
            VramGranularity.RoundUp(Math.Max(likely.VramBytes, r.Current.VramBytes)),
            Math.Max(likely.SmFraction, 0),
            limits.FloorSmShare,
            new ResourceVector(median.SmFraction, median.BandwidthBytesPerSecond, Math.Max(median.VramBytes, r.Current.VramBytes)),
            held,
            Math.Max(quota, limits.ClampVram(ulong.MaxValue)),
            limits.CeilingSmShare);
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Allocates ahead of forecast demand: each application's VRAM quota and pre-map target follow the
/// forecast's upper quantile over the next <see cref="Options"/>.WindowSteps steps, its SM share the
/// same quantile of SM demand, each with a relative headroom. Grants grow at once and shrink only
/// when the new want is below the current grant by more than the hysteresis (for SM shares, by more
/// than an absolute step as well), so they do not flap.
/// </summary>
public sealed class ForecastPlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "forecast";

    /// <summary>Creates the planner.</summary>
    public ForecastPlanner(ForecastPlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The planner's settings.</summary>
    public ForecastPlannerOptions Options { get; }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) =>
        CapacityArbiter.Arbitrate(view, requests, r => WantOf(view, r), (view?.Step ?? 0) + Options.WindowSteps);

    private Want WantOf(NodeView view, PlanRequest r)
    {
        int level = r.Forecast.LevelIndexAtLeast(Options.UpperQuantile);
        ResourceVector upper = r.Forecast.MaxOver(Options.WindowSteps, level);
        ulong held = VramGranularity.RoundUp(r.Current.VramBytes);
        ulong premap = Math.Max(held, VramGranularity.RoundUp(upper.VramBytes * (1 + Options.Headroom)));
        double share = Math.Clamp(upper.SmFraction * (1 + Options.Headroom), 0, 1);
        if (view.Current.TryGetValue(r.App, out GpuAllocation current))
        {
            premap = Hold(premap, current.VramQuotaBytes);
            bool smallDrop = share >= current.SmShare * (1 - Options.Hysteresis) || current.SmShare - share <= Options.SmHysteresisAbsolute;
            share = current.SmShare > share && smallDrop ? current.SmShare : share;
        }

        return new Want(premap, premap, share, held);
    }

    /// <summary>Keeps the current grant while the new one is smaller by less than the hysteresis.</summary>
    private ulong Hold(ulong wanted, ulong current) =>
        wanted < current && wanted >= current * (1 - Options.Hysteresis) ? current : wanted;
}

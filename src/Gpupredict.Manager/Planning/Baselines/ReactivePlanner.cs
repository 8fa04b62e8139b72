using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning.Baselines;

/// <summary>
/// Reactive sizing, as the Kubernetes Vertical Pod Autoscaler does it, at 10 ms granularity: the
/// grant is whatever the forecast's highest level says for the next step, with no headroom of its
/// own and nothing pre-mapped. Paired with a forecaster that only summarises the past (the
/// replay's <c>reactive-window</c>: windowed max VRAM and 95th-percentile SM plus a margin, bumped
/// after an out-of-memory), it grows only after usage has been seen.
/// </summary>
public sealed class ReactivePlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "reactive";

    /// <summary>Steps a grant is issued for before it must be renewed (100 = 1 s, VPA's recommendation period here).</summary>
    public const int RenewEverySteps = 100;

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) =>
        CapacityArbiter.Arbitrate(view, requests, WantOf, (view?.Step ?? 0) + RenewEverySteps);

    private static Want WantOf(PlanRequest r)
    {
        ResourceVector top = r.Forecast.MaxOver(1, r.Forecast.Levels.Length - 1);
        ulong held = VramGranularity.RoundUp(r.Current.VramBytes);
        return new Want(
            VramQuotaBytes: Math.Max(held, VramGranularity.RoundUp(top.VramBytes)),
            PremapTargetBytes: 0,
            SmShare: Math.Clamp(top.SmFraction, 0, 1),
            VramFloorBytes: held);
    }
}

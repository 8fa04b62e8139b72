using Gpupredict.Core.Allocation;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning.Baselines;

/// <summary>
/// What users do today: request the peak once and keep it. Each application gets its peak VRAM as
/// a quota and its peak SM fraction as its share, for the whole run; nothing is pre-mapped, so every
/// allocation is a fresh one. The baseline every other policy is measured against.
/// </summary>
public sealed class StaticPeakPlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "static-peak";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) =>
        CapacityArbiter.Arbitrate(view, requests, WantOf, long.MaxValue);

    private static Want WantOf(PlanRequest r) => new(
        VramQuotaBytes: VramGranularity.RoundUp(Math.Max(r.Peak.VramBytes, r.Current.VramBytes)),
        PremapTargetBytes: 0,
        SmShare: Math.Clamp(r.Peak.SmFraction, 0, 1),
        VramFloorBytes: VramGranularity.RoundUp(r.Current.VramBytes));
}

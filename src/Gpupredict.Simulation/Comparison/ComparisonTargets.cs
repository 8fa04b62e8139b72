using System.Globalization;

namespace Gpupredict.Simulation.Comparison;

/// <summary>The product's targets for its own policy, as the comparison checks them.</summary>
public static class ComparisonTargets
{
    /// <summary>Applications per GPU at least this many times static-peak's.</summary>
    public const double MinDensityVsStatic = 1.5;

    /// <summary>Slack (SM and VRAM) below this fraction.</summary>
    public const double MaxSlack = 0.15;

    /// <summary>Under-allocated application-steps below this fraction.</summary>
    public const double MaxUnderAllocated = 0.001;

    /// <summary>Allocation steps served from pre-mapped memory at least this fraction.</summary>
    public const double MinPremappedHits = 0.95;

    /// <summary>Utilization within this relative distance of the oracle's.</summary>
    public const double MaxUtilizationGapVsOracle = 0.10;

    /// <summary>Checks <paramref name="f"/> against every target.</summary>
    public static IReadOnlyList<TargetCheck> Check(PolicyFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return
        [
            new("apps/GPU vs static-peak, GPUs occupied", Inv($"≥ {MinDensityVsStatic:0.0}x"), f.AppsPerGpuVsStatic is { } d ? Inv($"{d:0.00}x") : "n/a (no static-peak run)", f.AppsPerGpuVsStatic >= MinDensityVsStatic),
            new("SM slack", Inv($"< {MaxSlack * 100:0}%"), Pct(f.SmSlack), f.SmSlack < MaxSlack),
            f.VramObserved
                ? new("VRAM slack", Inv($"< {MaxSlack * 100:0}%"), Pct(f.VramSlack), f.VramSlack < MaxSlack)
                : new("VRAM slack", Inv($"< {MaxSlack * 100:0}%"), "n/a (no trace observed VRAM)", null),
            UnderAllocated("under-allocation", f),
            PremappedHits("pre-mapped hits", f),
            NearOracle("SM utilization vs oracle", f.SmUtilization, f.SmUtilizationVsOracle, observed: true),
            NearOracle("VRAM utilization vs oracle", f.VramUtilization, f.VramUtilizationVsOracle, f.VramObserved),
        ];
    }

    /// <summary>
    /// The targets a sized node answers (<see cref="NodeSizing.Fit"/>): applications per GPU against
    /// static-peak's, each on the fewest GPUs that kept it within the budget, and under-allocation and
    /// pre-mapped hits on that node. Empty without both sizes.
    /// </summary>
    public static IReadOnlyList<TargetCheck> CheckSized(NodeSize own, NodeSize? staticPeak)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (staticPeak?.Gpus is null || staticPeak.AppsPerGpu <= 0)
        {
            return [];
        }

        PolicyFigures f = own.Figures;
        double? ratio = own.Gpus is null ? null : own.AppsPerGpu / staticPeak.AppsPerGpu;
        return
        [
            new("apps/GPU vs static-peak, sized nodes", Inv($"≥ {MinDensityVsStatic:0.0}x"),
                ratio is double r ? Inv($"{r:0.00}x ({own.Gpus} vs {staticPeak.Gpus} GPUs)") : "missed the budget on every node tried", ratio >= MinDensityVsStatic),
            UnderAllocated("under-allocation on that node", f),
            PremappedHits("pre-mapped hits on that node", f),
        ];
    }

    private static TargetCheck UnderAllocated(string target, PolicyFigures f) =>
        new(target, Inv($"< {MaxUnderAllocated * 100:0.0}% of app-steps"), Inv($"{f.UnderAllocatedFraction * 100:0.00}% ({f.UnderAllocatedSteps} of {f.AppSteps})"), f.UnderAllocatedFraction < MaxUnderAllocated);

    private static TargetCheck PremappedHits(string target, PolicyFigures f)
    {
        string goal = Inv($"≥ {MinPremappedHits * 100:0}% of allocation steps");
        return f.AllocationSteps > 0
            ? new(target, goal, Inv($"{f.PremappedHitFraction * 100:0.0}% ({f.PremappedHitSteps} of {f.AllocationSteps})"), f.PremappedHitFraction >= MinPremappedHits)
            : new(target, goal, "n/a (no allocation observed)", null);
    }

    private static TargetCheck NearOracle(string target, double value, double? ratio, bool observed)
    {
        string goal = Inv($"within {MaxUtilizationGapVsOracle * 100:0}%");
        if (!observed || ratio is not { } r)
        {
            return new(target, goal, observed ? "n/a (no oracle run)" : "n/a (not observed)", null);
        }

        return new(target, goal, Inv($"{value * 100:0.0}% = {r:0.00}x oracle"), Math.Abs(1 - r) <= MaxUtilizationGapVsOracle);
    }

    private static string Pct(double fraction) => Inv($"{fraction * 100:0.0}%");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

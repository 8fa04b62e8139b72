using System.Globalization;
using Gpupredict.Simulation.Comparison;

namespace Gpupredict.Simulation.Reports;

/// <summary>Writes <see cref="NodeSizing.Fit"/>'s answer: per policy, the node it needs and how it fares there.</summary>
public static class NodeSizeTableWriter
{
    /// <summary>Writes the table and its legend.</summary>
    public static void Write(TextWriter w, IReadOnlyList<NodeSize> sizes, double budget, int maxGpus)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(sizes);
        NodeSize? stat = sizes.FirstOrDefault(s => s.Policy == PolicyComparison.StaticPolicy && s.Gpus is not null && s.AppsPerGpu > 0);
        var t = new TextTable("policy", "forecaster", "GPUs", "apps/GPU", "vs static", "under-alloc", "pre-mapped", "alloc wait", "migr/susp", "replays");
        foreach (NodeSize s in sizes)
        {
            PolicyFigures f = s.Figures;
            t.Add(s.Policy, s.Forecaster,
                s.Gpus is int g ? Inv($"{g}") : Inv($"> {maxGpus}"),
                s.Gpus is null ? "-" : Inv($"{s.AppsPerGpu:0.00}"),
                s.Gpus is null || stat is null ? "-" : Inv($"{s.AppsPerGpu / stat.AppsPerGpu:0.00}x"),
                Inv($"{f.UnderAllocatedSteps} ({f.UnderAllocatedFraction * 100:0.00}%)"),
                f.AllocationSteps == 0 ? "-" : Units.Percent(f.PremappedHitFraction),
                Units.Duration(f.WaitNs),
                Inv($"{f.Migrations}/{f.Suspends}"),
                Inv($"{s.Replays}"));
        }

        t.WriteTo(w);
        w.WriteLine(Inv($"GPUs = the fewest GPUs, found by bisection over 1..{maxGpus}, on which the policy kept under-allocation within {budget * 100:0.###}% of"));
        w.WriteLine("app-steps; the other columns are that replay's. apps/GPU = mean applications running / GPUs. '> N': even N GPUs missed the budget");
        w.WriteLine("(the columns are that replay's).");
        if (sizes.FirstOrDefault(s => s.Policy == ComparisonTableWriter.OwnPolicy) is not { } own)
        {
            return;
        }

        IReadOnlyList<TargetCheck> checks = ComparisonTargets.CheckSized(own, stat);
        if (checks.Count == 0)
        {
            return;
        }

        ComparisonTableWriter.WriteTargets(w, $"Targets on sized nodes ({own.Policy}, forecaster {own.Forecaster})", checks);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

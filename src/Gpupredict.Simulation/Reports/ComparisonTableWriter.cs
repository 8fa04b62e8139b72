using System.Globalization;
using Gpupredict.Simulation.Comparison;

namespace Gpupredict.Simulation.Reports;

/// <summary>Writes a policy comparison as text: one row per policy, then the targets of the product's own policy, met or missed.</summary>
public static class ComparisonTableWriter
{
    /// <summary>The policy whose targets are checked.</summary>
    public const string OwnPolicy = "forecast";

    /// <summary>Writes the table, a legend and the targets block.</summary>
    public static void Write(TextWriter w, ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        var t = new TextTable("policy", "forecaster", "util SM/VRAM", "slack SM/VRAM", "GPUs", "apps/GPU", "vs static", "under-alloc", "pre-mapped", "alloc wait", "changes", "migr/susp");
        foreach (PolicyFigures f in result.Figures)
        {
            t.Add(f.Policy, f.Forecaster,
                $"{Units.Percent(f.SmUtilization)}/{Vram(f, f.VramUtilization)}",
                $"{Units.Percent(f.SmSlack)}/{Vram(f, f.VramSlack)}",
                Inv($"{f.GpusNeeded:0.00}{(f.Shortfalls > 0 ? "+" : "")}"),
                Inv($"{f.AppsPerGpu:0.00}"),
                f.AppsPerGpuVsStatic is { } d ? Inv($"{d:0.00}x") : "-",
                Inv($"{f.UnderAllocatedSteps} ({f.UnderAllocatedFraction * 100:0.00}%)"),
                f.AllocationSteps == 0 ? "-" : Units.Percent(f.PremappedHitFraction),
                Units.Duration(f.WaitNs),
                Inv($"{f.GrantChanges}"),
                Inv($"{f.Migrations}/{f.Suspends}"));
        }

        t.WriteTo(w);
        w.WriteLine("GPUs = GPUs' worth occupied at the worst step: sum over GPUs of max(VRAM occupied / memory, SM occupied), at most 1 per");
        w.WriteLine("GPU, where an application occupies its reservation or what it is served beyond it from lent capacity; '+' = the node was");
        w.WriteLine("too small for the policy (shortfalls), so it is a lower bound. apps/GPU = mean applications running / GPUs. util = used /");
        w.WriteLine("occupied; slack = reserved but idle / occupied (capacity lent but unused is nobody's). under-alloc = app-steps that did");
        w.WriteLine("not get their demand: over a quota or share, a GPU out of memory, SM oversubscribed on the GPU, or work while suspended");
        w.WriteLine("or stopped by a migration or restore.");
        if (result.Find(OwnPolicy) is not { } own)
        {
            return;
        }

        WriteTargets(w, $"Targets ({OwnPolicy}, forecaster {own.Figures.Forecaster})", ComparisonTargets.Check(own.Figures));
        w.WriteLine("(GPUs occupied assumes every unoccupied byte could host someone; --fit-gpus measures density on a node of that size.)");
    }

    /// <summary>A blank line, the heading, and the checks as a table: target, goal, actual, met or MISSED.</summary>
    internal static void WriteTargets(TextWriter w, string heading, IEnumerable<TargetCheck> checks)
    {
        w.WriteLine();
        w.WriteLine(heading);
        var targets = new TextTable("target", "goal", "actual", "");
        foreach (TargetCheck c in checks)
        {
            targets.Add(c.Target, c.Goal, c.Actual, c.Met switch { true => "met", false => "MISSED", null => "-" });
        }

        targets.WriteTo(w);
    }

    private static string Vram(PolicyFigures f, double fraction) => f.VramObserved ? Units.Percent(fraction) : "n/a";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

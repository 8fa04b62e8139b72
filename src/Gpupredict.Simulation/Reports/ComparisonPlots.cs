using System.Globalization;
using Gpupredict.Simulation.Comparison;

namespace Gpupredict.Simulation.Reports;

/// <summary>
/// The comparison's plots as SVG documents: per policy, SM and VRAM allocated vs used over time on
/// its busiest GPU (the one with the most SM used), and bars of density, slack and under-allocation.
/// Time series are cut into at most <see cref="MaxPoints"/> buckets, each drawn at its maximum, so
/// short peaks (and allocations falling short of them) stay visible.
/// </summary>
public static class ComparisonPlots
{
    /// <summary>The file names the plots are written under.</summary>
    public const string SmFile = "comparison-sm.svg";

    /// <summary>See <see cref="SmFile"/>.</summary>
    public const string VramFile = "comparison-vram.svg";

    /// <summary>See <see cref="SmFile"/>.</summary>
    public const string BarsFile = "comparison-bars.svg";

    /// <summary>Most points per polyline.</summary>
    public const int MaxPoints = 2000;

    private const double GiB = 1UL << 30;
    private const double PanelHeight = 210;
    private const double Width = 960;
    private static readonly string[] Palette = ["#7f7f7f", "#ff7f0e", "#9467bd", "#1f77b4", "#2ca02c", "#d62728", "#8c564b", "#e377c2"];

    /// <summary>All three plots, by file name.</summary>
    public static IReadOnlyList<(string File, string Svg)> Render(ComparisonResult result) =>
        [(SmFile, Sm(result)), (VramFile, Vram(result)), (BarsFile, Bars(result))];

    /// <summary>SM share allocated vs used on each policy's busiest GPU, one panel per policy.</summary>
    public static string Sm(ComparisonResult result) =>
        Timelines(result, "SM", "SM (fraction of the GPU)", (t, s, g) => t.SmGranted(s, g), (t, s, g) => t.SmUsed(s, g), 1);

    /// <summary>VRAM quota vs held on each policy's busiest GPU, GiB, one panel per policy.</summary>
    public static string Vram(ComparisonResult result) =>
        Timelines(result, "VRAM", "VRAM (GiB)", (t, s, g) => t.VramGranted(s, g) / GiB, (t, s, g) => t.VramUsed(s, g) / GiB, 0);

    /// <summary>Applications per GPU, SM and VRAM slack and under-allocation, one bar per policy.</summary>
    public static string Bars(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PolicyFigures[] rows = [.. result.Figures];
        var plot = new SvgPlot(1400, 340);
        (string Title, string Unit, Func<PolicyFigures, double> Value, Func<double, string> Format)[] panels =
        [
            ("applications per GPU", "apps / GPU", f => f.AppsPerGpu, v => v.ToString("0.00", CultureInfo.InvariantCulture)),
            ("SM slack", "% of SM allocated", f => f.SmSlack * 100, v => v.ToString("0.0", CultureInfo.InvariantCulture) + "%"),
            ("VRAM slack", "% of VRAM allocated", f => f.VramSlack * 100, v => v.ToString("0.0", CultureInfo.InvariantCulture) + "%"),
            ("under-allocation", "% of app-steps", f => f.UnderAllocatedFraction * 100, v => v.ToString("0.00", CultureInfo.InvariantCulture) + "%"),
        ];
        for (int p = 0; p < panels.Length; p++)
        {
            var bars = rows.Select((f, i) => new PlotBar(f.Policy, panels[p].Value(f), Color(i))).ToArray();
            plot.BarPanel(p * 350, 0, 350, 340, panels[p].Title, panels[p].Unit, bars, panels[p].Format);
        }

        return plot.ToString();
    }

    private static string Timelines(ComparisonResult result, string resource, string yLabel, Func<NodeTimeline, long, int, double> granted, Func<NodeTimeline, long, int, double> used, double yMax)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new SvgPlot(Width, Math.Max(1, result.Runs.Count) * PanelHeight);
        for (int i = 0; i < result.Runs.Count; i++)
        {
            PolicyRun run = result.Runs[i];
            NodeTimeline t = run.Timeline;
            int g = t.BusiestGpu();
            PlotSeries[] series =
            [
                new("allocated", Color(i), Downsample(t.Steps, s => granted(t, s, g))),
                new("used", "#000000", Downsample(t.Steps, s => used(t, s, g)), Dashed: true),
            ];
            plot.LinePanel(0, i * PanelHeight, Width, PanelHeight, $"{run.Figures.Policy}: {resource} allocated vs used, GPU {g}", "time (s)", yLabel, t.Steps / 100.0, yMax, series);
        }

        return plot.ToString();
    }

    /// <summary>At most <see cref="MaxPoints"/> points: the maximum of each bucket of steps, at the bucket's start (seconds).</summary>
    private static (double X, double Y)[] Downsample(long steps, Func<long, double> value)
    {
        long bucket = Math.Max(1, (steps + MaxPoints - 1) / MaxPoints);
        var points = new List<(double X, double Y)>((int)Math.Min(steps, MaxPoints));
        for (long start = 0; start < steps; start += bucket)
        {
            double max = 0;
            for (long s = start; s < Math.Min(steps, start + bucket); s++)
            {
                max = Math.Max(max, value(s));
            }

            points.Add((start / 100.0, max));
        }

        return [.. points];
    }

    /// <summary>The colour of the <paramref name="i"/>-th policy, the same in every picture.</summary>
    internal static string Color(int i) => Palette[i % Palette.Length];
}

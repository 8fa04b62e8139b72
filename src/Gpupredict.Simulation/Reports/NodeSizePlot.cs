using System.Globalization;
using Gpupredict.Simulation.Comparison;

namespace Gpupredict.Simulation.Reports;

/// <summary>
/// <see cref="NodeSizing.Fit"/>'s answer as a picture: per policy, the GPUs it needs within the
/// budget, the applications per GPU that gives, and how it fared on that node (under-allocation,
/// pre-mapped hits). A policy that missed the budget even on the largest node is drawn grey, with
/// that node's figures, and labelled "(&gt; N)".
/// </summary>
public static class NodeSizePlot
{
    /// <summary>The file name the CLI writes.</summary>
    public const string File = "node-size.svg";

    private const string Missed = "#bbbbbb";

    /// <summary>Renders the panels, stacked, one bar per policy in each.</summary>
    public static string Render(IReadOnlyList<NodeSize> sizes, double budget, int maxGpus)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        double width = Math.Max(700, (130 * sizes.Count) + 120);
        const double PanelHeight = 280;
        (string Title, string Unit, Func<NodeSize, double> Value, Func<double, string> Format)[] panels =
        [
            (Inv($"GPUs needed within {budget * 100:0.###}% under-allocation (lower is better; grey: more than {maxGpus})"), "GPUs", s => s.Gpus ?? maxGpus, v => Inv($"{v:0}")),
            ("applications per GPU on that node", "apps / GPU", s => s.AppsPerGpu, v => Inv($"{v:0.00}")),
            ("under-allocation on that node", "% of app-steps", s => s.Figures.UnderAllocatedFraction * 100, v => Inv($"{v:0.00}%")),
            ("allocations served from pre-mapped memory", "% of allocation steps", s => s.Figures.PremappedHitFraction * 100, v => Inv($"{v:0.0}%")),
        ];
        var plot = new SvgPlot(width, PanelHeight * panels.Length);
        for (int p = 0; p < panels.Length; p++)
        {
            var bars = sizes.Select((s, i) => s.Gpus is null
                ? new PlotBar(Inv($"{s.Policy} (> {maxGpus})"), panels[p].Value(s), Missed)
                : new PlotBar(s.Policy, panels[p].Value(s), ComparisonPlots.Color(i))).ToArray();
            plot.BarPanel(0, p * PanelHeight, width, PanelHeight, panels[p].Title, panels[p].Unit, bars, panels[p].Format);
        }

        return plot.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

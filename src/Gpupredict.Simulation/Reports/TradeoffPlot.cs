using Gpupredict.Simulation.Comparison;

namespace Gpupredict.Simulation.Reports;

/// <summary>
/// The density / safety trade-off of a sweep as one picture: applications per GPU across,
/// under-allocated steps (% of application-steps) up; one dot per policy or setting. Down and to the
/// right is better; the oracle marks the limit.
/// </summary>
public static class TradeoffPlot
{
    /// <summary>The file name the plot is written under.</summary>
    public const string File = "tradeoff.svg";

    /// <summary>The plot of <paramref name="result"/>'s policies.</summary>
    public static string Render(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new SvgPlot(960, 520);
        PlotPoint[] points = [.. result.Figures.Select(f => new PlotPoint(
            f.Policy,
            f.AppsPerGpu,
            f.UnderAllocatedFraction * 100,
            f.Policy.StartsWith("forecast", StringComparison.Ordinal) ? "#1f77b4" : f.Policy == PolicyComparison.OraclePolicy ? "#2ca02c" : "#7f7f7f"))];
        plot.ScatterPanel(0, 0, 960, 520, "density vs under-allocation (down and right is better)", "applications per GPU", "under-allocated steps (% of app-steps)", 0, 1, points);
        return plot.ToString();
    }
}

namespace Gpupredict.Simulation.Reports;

/// <summary>One bar of a <see cref="SvgPlot.BarPanel"/>.</summary>
/// <param name="Label">The text under the bar.</param>
/// <param name="Value">Its height in data units.</param>
/// <param name="Color">An SVG colour.</param>
public sealed record PlotBar(string Label, double Value, string Color);

namespace Gpupredict.Simulation.Reports;

/// <summary>One line of a <see cref="SvgPlot.LinePanel"/>: points in data units, drawn in order.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Color">An SVG colour, e.g. "#1f77b4".</param>
/// <param name="Points">(x, y) in data units.</param>
/// <param name="Dashed">Drawn dashed.</param>
public sealed record PlotSeries(string Label, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

namespace Gpupredict.Simulation.Reports;

/// <summary>One labelled point of a scatter chart.</summary>
/// <param name="Label">Printed beside the point.</param>
/// <param name="X">Horizontal value.</param>
/// <param name="Y">Vertical value.</param>
/// <param name="Color">An SVG colour.</param>
public sealed record PlotPoint(string Label, double X, double Y, string Color);

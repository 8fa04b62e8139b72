namespace Gpupredict.Telemetry.Datasets;

/// <summary>One row of a per-pod metric file.</summary>
/// <param name="TimestampSeconds">The (shifted) Unix time of the sample, seconds.</param>
/// <param name="Value">The metric's value, in the file's unit.</param>
/// <param name="Line">The 1-based line it came from, for messages.</param>
internal readonly record struct PodSample(double TimestampSeconds, double Value, int Line);

namespace Gpupredict.Telemetry.Datasets;

/// <summary>One metric file read whole: its samples grouped by container.</summary>
/// <param name="Path">The file, for messages.</param>
/// <param name="ByPod">Samples per container id, in file order.</param>
internal sealed record PodMetric(string Path, Dictionary<string, List<PodSample>> ByPod);

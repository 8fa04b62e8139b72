namespace Gpupredict.Telemetry.Datasets;

/// <summary>How <see cref="AlibabaGenAi"/> turns the per-pod samples into series. An immutable snapshot.</summary>
public sealed record AlibabaGenAiOptions
{
    /// <summary>
    /// Pods with fewer joined samples than this are skipped (a joined sample: a timestamp at which the pod
    /// has a real, not gap-filled, value of every signal it has at all), ≥ 1. Default 100.
    /// </summary>
    public int MinSamples { get; init; } = 100;
}

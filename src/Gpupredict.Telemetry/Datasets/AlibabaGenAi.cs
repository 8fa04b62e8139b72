using Gpupredict.Core.Demand;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>
/// Loads the per-pod GPU series of the Alibaba GenAI trace (cluster-trace-v2026-GenAI, "GenTD26",
/// SoCC'25): <c>pod_gpu_duty_cycle_anon</c> and <c>pod_gpu_memory_used_bytes_anon</c>, each a tar.gz
/// holding one CSV of (timestamp_anon in s, value, container_ip), or that CSV unpacked.
/// </summary>
/// <remarks>
/// <para>
/// One <see cref="DemandSeries"/> per pod, the two files joined by container and timestamp:
/// SM fraction = duty cycle / 100 — NVML's duty cycle, the share of the sample period in which some
/// kernel ran, measured on the GPU (hence <see cref="ObservedSignals.SmFromGpuIntervals"/>) but a coarse
/// average, not gpupredictd's 10 ms signal; VRAM = memory used in bytes (NVML's figure, context and
/// allocator caches included; flagged <see cref="ObservedSignals.VramFromAllocations"/>, Core's only VRAM
/// flag); bandwidth is not in the trace and stays unobserved (0).
/// </para>
/// <para>
/// The step is the files' sampling period (57 s), NOT 10 ms: it is in <see cref="AlibabaGenAiData.StepSeconds"/>
/// and in every series' name (<c>alibaba-genai/&lt;container&gt; step=57s</c>). The values are
/// anonymized by the publisher ("metric scaling", proportions kept).
/// </para>
/// </remarks>
public static class AlibabaGenAi
{
    /// <summary>The duty-cycle file's name without extension.</summary>
    public const string DutyCycleFile = "pod_gpu_duty_cycle_anon";

    /// <summary>The memory-used file's name without extension.</summary>
    public const string MemoryFile = "pod_gpu_memory_used_bytes_anon";

    private static readonly string[] Extensions = [".tar.gz", ".csv"];

    /// <summary>
    /// Loads the two metric files from <paramref name="folder"/>, each as <c>NAME.tar.gz</c> or <c>NAME.csv</c>;
    /// one of them may be absent, and its signal is then unobserved.
    /// </summary>
    /// <exception cref="TraceFormatException">Neither file is there, or one is malformed (see <see cref="LoadFiles"/>).</exception>
    public static AlibabaGenAiData Load(string folder, AlibabaGenAiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string? duty = Find(folder, DutyCycleFile);
        string? memory = Find(folder, MemoryFile);
        if (duty is null && memory is null)
        {
            throw new TraceFormatException(folder, $"holds neither {DutyCycleFile}.tar.gz (or .csv) nor {MemoryFile}.tar.gz (or .csv); expected the cluster-trace-v2026-GenAI folder");
        }

        return LoadFiles(duty, memory, options, cancellationToken);
    }

    /// <summary>Loads the given metric files (either may be null, not both).</summary>
    /// <param name="dutyCyclePath">Duty cycle in percent, 0..100, per pod and timestamp.</param>
    /// <param name="memoryPath">GPU memory used in bytes per pod and timestamp.</param>
    /// <param name="options">Minimum samples per pod.</param>
    /// <param name="cancellationToken">Stops a long load.</param>
    /// <exception cref="TraceFormatException">
    /// A file is missing, empty, not a tar.gz with a CSV, lacks a column, has a row with the wrong field
    /// count, a value that is not a number in range, a timestamp off the common grid, or two samples of
    /// one pod at one timestamp. The message names the file, line and field, expected and found.
    /// </exception>
    public static AlibabaGenAiData LoadFiles(string? dutyCyclePath, string? memoryPath, AlibabaGenAiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinSamples, 1, nameof(options));
        if (dutyCyclePath is null && memoryPath is null)
        {
            throw new ArgumentException("name at least one of the duty-cycle and memory files");
        }

        PodMetric? duty = dutyCyclePath is null ? null : PodMetricReader.Read(dutyCyclePath, 100, "percent", cancellationToken);
        PodMetric? memory = memoryPath is null ? null : PodMetricReader.Read(memoryPath, double.MaxValue, "bytes", cancellationToken);
        var grid = SampleGrid.Of([.. new[] { duty, memory }.OfType<PodMetric>()]);
        string[] pods = [.. Keys(duty).Union(Keys(memory)).Order(StringComparer.Ordinal)];

        var join = new PodJoin(grid, options.MinSamples);
        var series = new List<DemandSeries>();
        for (int i = 0; i < pods.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DemandSeries? s = join.Join(i + 1, pods[i], Of(duty, pods[i]), Of(memory, pods[i]));
            if (s is not null)
            {
                series.Add(s);
            }
        }

        return new AlibabaGenAiData(series, grid.StepSeconds, pods.Length, pods.Length - series.Count, join.FilledValues);
    }

    private static (string Path, List<PodSample> Samples)? Of(PodMetric? metric, string pod) =>
        metric is not null && metric.ByPod.TryGetValue(pod, out List<PodSample>? samples) ? (metric.Path, samples) : null;

    private static IEnumerable<string> Keys(PodMetric? metric) => metric?.ByPod.Keys ?? Enumerable.Empty<string>();

    private static string? Find(string folder, string name) =>
        Extensions.Select(ext => Path.Combine(folder, name + ext)).FirstOrDefault(File.Exists);
}

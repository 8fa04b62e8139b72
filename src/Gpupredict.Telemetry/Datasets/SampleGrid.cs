using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>
/// The common time grid of the metric files: the earliest timestamp of all, and the sampling period,
/// inferred as the most frequent gap between consecutive distinct timestamps (the smaller on a tie;
/// 57 s in the published trace), so that one stray timestamp is reported rather than taken as the period.
/// </summary>
internal sealed class SampleGrid
{
    // Timestamps are whole seconds in the files; this only absorbs decimal-to-binary rounding.
    private const double ToleranceSeconds = 1e-3;

    private SampleGrid(double originSeconds, double stepSeconds)
    {
        OriginSeconds = originSeconds;
        StepSeconds = stepSeconds;
    }

    public double OriginSeconds { get; }

    public double StepSeconds { get; }

    /// <summary>Infers the grid from every sample of every file.</summary>
    /// <exception cref="TraceFormatException">Fewer than two distinct timestamps: no period to infer.</exception>
    public static SampleGrid Of(IReadOnlyList<PodMetric> metrics)
    {
        double[] times = [.. metrics.SelectMany(m => m.ByPod.Values).SelectMany(s => s).Select(s => s.TimestampSeconds).Distinct().Order()];
        if (times.Length < 2)
        {
            string files = string.Join(", ", metrics.Select(m => m.Path));
            throw new TraceFormatException(files, $"found {times.Length} distinct timestamp(s); expected at least 2 to infer the sampling period");
        }

        double step = Enumerable.Range(1, times.Length - 1)
            .Select(i => times[i] - times[i - 1])
            .GroupBy(gap => gap)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key)
            .First().Key;
        return new SampleGrid(times[0], step);
    }

    /// <summary>The grid index of <paramref name="sample"/>.</summary>
    /// <exception cref="TraceFormatException">The timestamp is not a whole number of periods after the origin.</exception>
    public int IndexOf(PodSample sample, string path)
    {
        double k = (sample.TimestampSeconds - OriginSeconds) / StepSeconds;
        double rounded = Math.Round(k);
        if (Math.Abs(sample.TimestampSeconds - OriginSeconds - (rounded * StepSeconds)) > ToleranceSeconds || rounded > int.MaxValue)
        {
            throw new TraceFormatException(path, $"line {sample.Line}, field 'timestamp_anon': expected {OriginSeconds} + a multiple of the {StepSeconds} s sampling period, found {sample.TimestampSeconds}");
        }

        return (int)rounded;
    }
}

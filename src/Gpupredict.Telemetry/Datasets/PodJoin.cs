using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>
/// Joins one pod's duty-cycle and memory samples on the grid into a <see cref="DemandSeries"/>. The
/// series spans the steps where every signal the pod has at all has started and not yet ended
/// (from the latest first sample to the earliest last one); a step missing inside that span takes the
/// signal's previous value (carried forward) and is counted.
/// </summary>
internal sealed class PodJoin(SampleGrid grid, int minSamples)
{
    /// <summary>Values carried forward over gaps so far.</summary>
    public long FilledValues { get; private set; }

    /// <summary>The pod's series, or null when it has fewer than the minimum of joined samples.</summary>
    /// <param name="ordinal">The pod's position among all pods, 1-based: its <see cref="AppId.Pid"/>.</param>
    /// <param name="pod">The container id.</param>
    /// <param name="duty">Duty-cycle samples in percent (file, samples), or null when the pod has none.</param>
    /// <param name="memory">Memory-used samples in bytes (file, samples), or null when the pod has none.</param>
    /// <exception cref="TraceFormatException">Two samples of the pod share a timestamp in one file, or one is off the grid.</exception>
    public DemandSeries? Join(int ordinal, string pod, (string Path, List<PodSample> Samples)? duty, (string Path, List<PodSample> Samples)? memory)
    {
        (int[] Index, double[] Value)? d = duty is { } du ? OnGrid(pod, du.Path, du.Samples) : null;
        (int[] Index, double[] Value)? m = memory is { } me ? OnGrid(pod, me.Path, me.Samples) : null;
        int start = Math.Max(d?.Index[0] ?? int.MinValue, m?.Index[0] ?? int.MinValue);
        int end = Math.Min(d?.Index[^1] ?? int.MaxValue, m?.Index[^1] ?? int.MaxValue);
        if (end < start)
        {
            return null;
        }

        int length = end - start + 1;
        int[] real = new int[length];
        double[] sm = d is { } dd ? Fill(dd, start, real, divisor: 100) : new double[length];
        double[] vram = m is { } mm ? Fill(mm, start, real, divisor: 1) : new double[length];
        int signals = (d is null ? 0 : 1) + (m is null ? 0 : 1);
        int joined = real.Count(r => r == signals);
        if (joined < minSamples)
        {
            return null;
        }

        FilledValues += ((long)length * signals) - real.Sum();
        ObservedSignals observed = (d is null ? ObservedSignals.None : ObservedSignals.SmFromGpuIntervals) | (m is null ? ObservedSignals.None : ObservedSignals.VramFromAllocations);
        double startSeconds = grid.OriginSeconds + (start * grid.StepSeconds);
        string name = $"alibaba-genai/{pod[..Math.Min(12, pod.Length)]} step={grid.StepSeconds:0.###}s";
        return new DemandSeries(new AppId(ordinal, (ulong)startSeconds), name, (long)(startSeconds * 1e9), sm, new double[length], vram, observed, stepNs: (long)Math.Round(grid.StepSeconds * 1e9));
    }

    /// <summary>Grid indices and values sorted by time; rejects a second sample at the same timestamp.</summary>
    private (int[] Index, double[] Value) OnGrid(string pod, string path, List<PodSample> samples)
    {
        int[] index = [.. samples.Select(s => grid.IndexOf(s, path))];
        int[] order = [.. Enumerable.Range(0, samples.Count).OrderBy(i => index[i]).ThenBy(i => samples[i].Line)];
        for (int k = 1; k < order.Length; k++)
        {
            if (index[order[k]] == index[order[k - 1]])
            {
                PodSample twice = samples[order[k]];
                throw new TraceFormatException(path, $"line {twice.Line}, field 'timestamp_anon': expected one sample per container and timestamp, found a second sample of container {pod} at {twice.TimestampSeconds} (the first is on line {samples[order[k - 1]].Line})");
            }
        }

        return ([.. order.Select(i => index[i])], [.. order.Select(i => samples[i].Value)]);
    }

    /// <summary>The signal over [start, start + real.Length) divided by <paramref name="divisor"/>, carried forward over gaps; counts real values per step into <paramref name="real"/>.</summary>
    private static double[] Fill((int[] Index, double[] Value) signal, int start, int[] real, double divisor)
    {
        double[] values = new double[real.Length];
        int k = 0;
        double last = double.NaN;
        for (int i = 0; i < values.Length; i++)
        {
            int step = start + i;
            while (k < signal.Index.Length && signal.Index[k] < step)
            {
                last = signal.Value[k++] / divisor;
            }

            if (k < signal.Index.Length && signal.Index[k] == step)
            {
                last = signal.Value[k++] / divisor;
                real[i]++;
            }

            // Every signal has a sample at or before the span's start, so 'last' is always set here.
            values[i] = last;
        }

        return values;
    }
}

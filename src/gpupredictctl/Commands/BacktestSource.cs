using Gpupredict.Core.Demand;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Commands;

/// <summary>One data set a backtest runs on: its series and what a step means there.</summary>
/// <param name="Name">"traces" or "alibaba-genai".</param>
/// <param name="StepSeconds">Length of one step: 0.01 for traces, the sampling period (57 s) for the Alibaba files.</param>
/// <param name="Series">The series, one per application or pod.</param>
/// <param name="Note">What the data is, for the report header.</param>
/// <param name="Groups">
/// The application of each series, for a by-application split: its trace file (the ranks and
/// processes of one recorded job are one application), or the pod.
/// </param>
internal sealed record BacktestSource(string Name, double StepSeconds, IReadOnlyList<DemandSeries> Series, string Note, IReadOnlyList<string> Groups)
{
    /// <summary>Every process with GPU activity in <paramref name="files"/>, at 10 ms steps.</summary>
    public static BacktestSource FromTraces(IReadOnlyList<string> files, TextWriter stderr, CancellationToken cancellationToken)
    {
        var series = new List<DemandSeries>();
        var groups = new List<string>();
        foreach (string file in files)
        {
            IReadOnlyList<DemandSeries> found = DemandAggregator.Aggregate(TraceImport.Load(file, cancellationToken));
            if (found.Count == 0)
            {
                stderr.WriteLine($"{file}: no GPU activity, skipped");
            }

            series.AddRange(found);
            groups.AddRange(found.Select(_ => file));
        }

        return new BacktestSource("traces", series.Count == 0 ? TimeBase.StepNs / 1e9 : series[0].StepNs / 1e9, series, $"{files.Count} trace file(s), 10 ms steps from kernel, copy and allocation events", groups);
    }

    /// <summary>The per-pod series of the Alibaba GenAI folder, at the files' own sampling period.</summary>
    public static BacktestSource FromAlibaba(string folder, int minSamples, CancellationToken cancellationToken)
    {
        AlibabaGenAiData data = AlibabaGenAi.Load(folder, new AlibabaGenAiOptions { MinSamples = minSamples }, cancellationToken);
        string note = $"{data.Pods} pods, {data.PodsSkipped} with < {minSamples} samples skipped, {data.FilledValues} gap values carried forward; "
            + $"step {data.StepSeconds:0.###} s, NOT 10 ms: SM = NVML duty cycle / 100, VRAM = memory used, bandwidth not in the trace";
        return new BacktestSource("alibaba-genai", data.StepSeconds, data.Series, note, [.. data.Series.Select((_, i) => $"pod {i}")]);
    }

    /// <summary>The same series without their activity, for an A/B of the event-derived features.</summary>
    public BacktestSource WithoutActivity() => this with
    {
        Series = [.. Series.Select(s => s.WithoutActivity())],
        Note = Note + "; activity dropped (--no-activity)",
    };
}

using System.Text.Json;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting;
using Gpupredict.Manager.Planning;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl replay</c>: recorded traces through the pipeline on a simulated node, one run per planning policy.</summary>
internal static class ReplayCommand
{
    public const string Usage = """
        gpupredictctl replay [options] TRACE|FOLDER...
          Replays the GPU demand recorded in traces (PyTorch profiler JSON[.gz], Nsight Systems
          .sqlite) through forecaster -> planner -> simulated node, once per policy, and prints
          allocated vs used, slack, under-allocation and allocation wait per application and total.
          All applications start together on the simulated node.
        options:
          --policy LIST         planning policies, comma-separated (default: static-peak,forecast)
          --forecaster NAME     forecasting policy (default: ewma)
          --horizon N           forecast steps of 10 ms, 1..1000 (default: 10)
          --gpus N              GPUs on the simulated node, 1..64 (default: 1)
          --gpu-memory-gib X    memory per simulated GPU in GiB (default: 80, an H100 SXM5)
          --json FILE           also write the results as JSON (written whole or not at all)
        """;

    private static readonly double[] Levels = [0.1, 0.5, 0.9, 0.99];

    public static int Run(ArgReader args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string[] policies = (args.String("--policy") ?? $"{StaticPeakPlanner.PolicyName},{ForecastPlanner.PolicyName}").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string forecasterName = args.String("--forecaster") ?? "ewma";
        int horizon = args.Int("--horizon", 10, 1, 1000);
        int gpus = args.Int("--gpus", 1, 1, 64);
        double gib = args.Double("--gpu-memory-gib", 80, 1, 1 << 20);
        string? json = args.String("--json");
        args.RejectUnknown();
        foreach (string p in policies)
        {
            _ = Known(() => Planners.Create(p));
        }

        _ = Known(() => Forecasters.Create(forecasterName, horizon, Levels));
        IReadOnlyList<ReplayApp> apps = LoadApps(TraceFiles.Expand(args.Positional), stderr, cancellationToken);

        var results = new List<ReplayResult>();
        foreach (string policy in policies)
        {
            IForecaster forecaster = Forecasters.Create(forecasterName, horizon, Levels);
            var node = new SimulatedGpuNode(Enumerable.Range(0, gpus).Select(g => gib == 80 ? SimulatedGpuSpec.H100Sxm(g) : SimulatedGpuSpec.WithMemory(g, gib)).ToArray(), new SimulatedCosts());
            results.Add(NodeReplay.Run(apps, forecaster, Planners.Create(policy), node, Progress(stderr, policy), cancellationToken));
        }

        ReplayReportWriter.Write(stdout, apps, results);
        if (json is not null)
        {
            AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, results, JsonOptions.Report));
            stderr.WriteLine($"wrote {json}");
        }

        return 0;
    }

    private static List<ReplayApp> LoadApps(IReadOnlyList<string> files, TextWriter stderr, CancellationToken cancellationToken)
    {
        var apps = new List<ReplayApp>();
        foreach (string file in files)
        {
            ImportedTrace trace = TraceImport.Load(file, cancellationToken);
            IReadOnlyList<DemandSeries> series = DemandAggregator.Aggregate(trace);
            if (series.Count == 0)
            {
                stderr.WriteLine($"{file}: no GPU activity, skipped");
            }

            apps.AddRange(series.Select(s => new ReplayApp(s, Priority.Default, DisplayName: DisplayName(file, s))));
        }

        return apps.Count > 0 ? apps : throw new UsageException("none of the traces has GPU activity to replay");
    }

    /// <summary>"file/process (pid)", the process name cut to keep tables readable.</summary>
    private static string DisplayName(string file, DemandSeries series)
    {
        string stem = Path.GetFileName(file);
        foreach (string ext in (string[])[".gz", ".json", ".sqlite"])
        {
            stem = stem.EndsWith(ext, StringComparison.Ordinal) ? stem[..^ext.Length] : stem;
        }

        string process = series.Name.Length > 20 ? series.Name[..19] + "~" : series.Name;
        return $"{stem}/{process}";
    }

    private static T Known<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static Action<long, long>? Progress(TextWriter stderr, string policy) =>
        Console.IsErrorRedirected ? null : (step, total) => stderr.Write($"\r{policy}: step {step}/{total}   ");
}

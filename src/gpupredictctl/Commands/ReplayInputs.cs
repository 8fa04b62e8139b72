using Gpupredict.Core.Demand;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Persistence;
using Gpupredict.Manager.Policies;
using Gpupredict.Simulation.Replay;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Commands;

/// <summary>What <c>replay</c> reads: traces or the Alibaba pods, the policy file, a trained model.</summary>
internal static class ReplayInputs
{
    /// <summary>Every process with GPU activity in <paramref name="files"/>, all starting together.</summary>
    public static IReadOnlyList<ReplayApp> LoadTraces(IReadOnlyList<string> files, TextWriter stderr, CancellationToken cancellationToken)
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

            apps.AddRange(ReplayApps.Together(series, s => DisplayName(file, s)));
        }

        return apps.Count > 0 ? apps : throw new UsageException("none of the traces has GPU activity to replay");
    }

    /// <summary>The Alibaba GenAI pods, each arriving at its first sample.</summary>
    public static IReadOnlyList<ReplayApp> LoadPods(string folder, int minSamples, string? pods, CancellationToken cancellationToken)
    {
        AlibabaGenAiData data = AlibabaGenAi.Load(folder, new AlibabaGenAiOptions { MinSamples = minSamples }, cancellationToken);
        data = data with { Series = PodSplit.Select(data.Series, pods) };
        if (data.Series.Count == 0)
        {
            throw new UsageException($"option --alibaba: no pod in '{folder}' has {minSamples} samples or more");
        }

        return ReplayApps.AsRecorded(data.Series);
    }

    /// <summary>The policy file, checked against GPUs of <paramref name="gpuVramBytes"/> bytes each, or the built-in defaults.</summary>
    public static PolicySet LoadPolicies(string? path, ulong gpuVramBytes)
    {
        try
        {
            return path is null ? PolicySet.BuiltIn : PolicyLoader.Load(path, gpuVramBytes);
        }
        catch (PolicyFormatException e)
        {
            throw new UsageException($"option --policies: {e.Message}");
        }
    }

    /// <summary>Fresh copies of the saved model (each replay consumes one), checked against the replay's horizon (its levels are checked against each planner's when paired).</summary>
    public static ForecasterChoice LoadModel(string path, int horizon, ForecasterCatalog catalog)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Core.Forecasts.IForecaster Load()
        {
            using var stream = new MemoryStream(bytes, writable: false);
            try
            {
                return catalog.Load(stream);
            }
            catch (ForecasterFormatException e)
            {
                throw e.InFile(path);
            }
        }

        Core.Forecasts.IForecaster probe = Load();
        if (probe.Horizon != horizon)
        {
            throw new UsageException($"option --model: {path} forecasts {probe.Horizon} steps; this replay needs {horizon} steps (train it with the same --horizon)");
        }

        return new ForecasterChoice(probe.Name, Load, path);
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
}

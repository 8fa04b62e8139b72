using BenchmarkDotNet.Attributes;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Bench;

/// <summary>
/// One training epoch of each neural forecaster on the bundled traces (every process with GPU
/// activity in tests/fixtures/traces, 10 ms steps). The models train by optimiser steps over sampled
/// windows, so an epoch is the number of optimiser steps whose windows add up to every training step
/// once: ⌈Σ steps / (window − burn-in) / batch⌉, run as one epoch of the early-stopped loop (so the
/// cost includes the validation passes before and after it). Run from the repository root.
/// </summary>
public class TrainingEpochBenchmark
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9, 0.99];

    private IReadOnlyList<DemandSeries> _series = [];

    /// <summary>The forecaster.</summary>
    [Params("lstm", "gru", "rnn", "transformer")]
    public string Model { get; set; } = "lstm";

    /// <summary>Optimiser steps in one epoch of the bundled data for <see cref="Model"/>.</summary>
    public int StepsPerEpoch { get; private set; }

    /// <summary>Imports and aggregates the bundled traces.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string folder = Path.Combine(FindRoot(), "tests", "fixtures", "traces");
        _series = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json.gz", StringComparison.Ordinal) || f.EndsWith(".sqlite", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => DemandAggregator.Aggregate(TraceImport.Load(f)))];
        long steps = _series.Sum(s => (long)s.Count);
        (int window, int burnIn, int batch) = Model == "transformer"
            ? (new TransformerOptions().Window, 0, new TransformerOptions().BatchSize)
            : (new LstmOptions().Window, new LstmOptions().BurnIn, new LstmOptions().BatchSize);
        StepsPerEpoch = (int)Math.Ceiling(steps / (double)(window - burnIn) / batch);
        Console.WriteLine($"// {_series.Count} series, {steps} steps: {StepsPerEpoch} optimiser steps per epoch for {Model}");
    }

    /// <summary>Fits a fresh model for one epoch (MaxEpochs 1).</summary>
    [Benchmark]
    public IForecaster Epoch()
    {
        IForecaster f = Model switch
        {
            "lstm" => new LstmQuantileForecaster(10, Levels, new LstmOptions(TrainingSteps: StepsPerEpoch, MaxEpochs: 1)),
            "gru" => new GruQuantileForecaster(10, Levels, new LstmOptions(TrainingSteps: StepsPerEpoch, MaxEpochs: 1)),
            "rnn" => new RnnQuantileForecaster(10, Levels, new LstmOptions(TrainingSteps: StepsPerEpoch, MaxEpochs: 1)),
            _ => new TransformerQuantileForecaster(10, Levels, new TransformerOptions(TrainingSteps: StepsPerEpoch, MaxEpochs: 1)),
        };
        f.Fit(_series, seed: 1);
        return f;
    }

    private static string FindRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "gpupredictd.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository (gpupredictd.sln not found above the working directory)");
    }
}

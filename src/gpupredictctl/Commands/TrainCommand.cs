using System.Diagnostics;
using System.Globalization;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl train</c>: fits a forecaster on recorded demand and saves it for <c>replay --model</c>.</summary>
internal static class TrainCommand
{
    public const string Usage = """
        gpupredictctl train [options] --out FILE TRACE|FOLDER...
        gpupredictctl train [options] --out FILE --alibaba FOLDER
          Fits a forecaster on every series of the input (whole series: keep the data you will
          replay apart, e.g. --pods even here and --pods odd in replay) and saves it in the
          versioned, checksummed model format (README "Saved models"). Quantile levels: the planning grid 0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999 (what replay uses).
        options:
          --forecaster NAME     the forecasting policy (default: gbm)
          --horizon N           steps forecast ahead, 1..1000 (default: 10)
          --seed N              seed of every random choice of the fit (default: 1)
          --out FILE            where to write the model (written whole or not at all)
          --alibaba FOLDER      the per-pod series of cluster-trace-v2026-GenAI instead of traces
          --min-samples N       Alibaba pods with fewer samples are skipped, 1..1000000 (default: 100)
          --pods WHICH          all | even | odd Alibaba pods in container-id order (default: all)
        """;

    public static int Run(ArgReader args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string name = args.String("--forecaster") ?? "gbm";
        int horizon = args.Int("--horizon", 10, 1, 1000);
        int seed = args.Int("--seed", 1, 0, int.MaxValue);
        string? output = args.String("--out");
        string? alibaba = args.String("--alibaba");
        int minSamples = args.Int("--min-samples", 100, 1, 1_000_000);
        string? pods = args.String(PodSplit.Option);
        args.RejectUnknown();
        if (output is null)
        {
            throw new UsageException("option --out: name the file to write the model to");
        }

        if (alibaba is not null && args.Positional.Count > 0)
        {
            throw new UsageException("option --alibaba: train on traces or on the Alibaba pods, not both");
        }

        if (alibaba is null && pods is not null)
        {
            throw new UsageException($"option {PodSplit.Option}: only with --alibaba");
        }

        IForecaster forecaster;
        try
        {
            forecaster = Forecasters.Create(name, horizon, QuantileGrid.Planning);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        if (args.Positional.Count == 0 && alibaba is null)
        {
            throw new UsageException("nothing to train on: name trace files or folders, or --alibaba FOLDER");
        }

        BacktestSource source = alibaba is null
            ? BacktestSource.FromTraces(TraceFiles.Expand(args.Positional), stderr, cancellationToken)
            : BacktestSource.FromAlibaba(alibaba, minSamples, cancellationToken);
        IReadOnlyList<DemandSeries> series = PodSplit.Select(source.Series, pods);
        if (series.Count == 0)
        {
            throw new UsageException("none of the inputs has a series to train on");
        }

        var clock = Stopwatch.StartNew();
        forecaster.Fit(series, seed);
        if (forecaster is ITrainingCurve { TrainingCurve.Count: > 0 } trained)
        {
            WriteCurve(trained.TrainingCurve, stderr);
        }

        AtomicFile.Write(output, forecaster.Save);
        stdout.WriteLine($"{forecaster.Name}: fitted on {series.Count} series, {series.Sum(s => (long)s.Count)} steps ({source.Name}) in {clock.Elapsed.TotalSeconds:0.0} s; wrote {output}");
        return 0;
    }

    /// <summary>The training curve, one line per epoch (losses are mean pinball in the model's scaled space).</summary>
    private static void WriteCurve(IReadOnlyList<TrainingEpoch> curve, TextWriter stderr)
    {
        stderr.WriteLine("epoch  train-loss  validation-loss  learning-rate");
        foreach (TrainingEpoch e in curve)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Epoch,5}  {e.TrainLoss,10:0.00000}  {e.ValidationLoss,15:0.00000}  {e.LearningRate,13:0.######}"));
        }
    }
}

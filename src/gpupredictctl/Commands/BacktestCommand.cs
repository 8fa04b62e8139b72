using System.Text.Json;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting;
using Gpupredict.Training.Evaluation;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl backtest</c>: rolling-origin evaluation of forecasters on recorded demand.</summary>
internal static class BacktestCommand
{
    public const string Usage = """
        gpupredictctl backtest [options] [TRACE|FOLDER...]
          Rolling-origin backtest: each forecaster is fitted on training data, then fed series step by
          step and, from every origin, forecasts H steps ahead with quantiles 0.01, 0.1, 0.5, 0.9, 0.99.
          --split per-series fits on the first part of every series and scores the rest; --split
          by-application deals the applications (trace files, pods) into folds and scores each fold,
          from its first step, with a model fitted on the other folds: applications never seen in
          training, as the daemon meets them. Prints per data source, model and resource: scaled
          pinball loss (pinball / mean |actual|, comparable across resources), MAE of the median, and
          coverage and width of the central 80 % and 98 % intervals, at h = 1, over h = 1..H and at
          burst onsets (points where demand rose past the origin's value by --burst-margin of the
          series' range); then ranks the models by mean scaled pinball, with their skill against
          persistence (last-value) and ewma: 1 - pinball / baseline pinball, so 0.2 = 20 % lower loss.
          Both baselines always run. Only resources a source observes are scored.
          Traces (PyTorch profiler JSON[.gz], Nsight Systems .sqlite) give 10 ms steps; the Alibaba
          GenAI files give one step per 57 s sample.
        options:
          --forecaster LIST     forecasters, comma-separated (default: every registered one)
          --horizon N           steps forecast ahead, 1..1000 (default: 10)
          --origin-every K      forecast from every K-th step only, 1..1000000 (default: 1)
          --split MODE          per-series or by-application (default: per-series)
          --folds N             folds of a by-application split, 2..100 (default: 5; fewer when there
                                are fewer applications)
          --training-applications N
                                by application: fit each fold's model on at most N of the other
                                folds' applications (a seeded draw), for learning curves (default: all)
          --burst-margin F      a burst onset is a rise past the origin's value by more than F x the
                                series' range, 0.01..1 (default: 0.2)
          --train-fraction F    share of each series used for training, per-series split only,
                                0..0.95 (default: 0.5)
          --alibaba FOLDER      also the per-pod series of cluster-trace-v2026-GenAI in FOLDER
          --min-samples N       Alibaba pods with fewer samples are skipped, 1..1000000 (default: 100)
          --per-horizon         also print scaled pinball and 80 % coverage at every horizon step
          --no-activity         forecast from demand only: drop the traces' event-derived features
                                (call mix, allocation churn, copy directions), to measure what they add
          --json FILE           also write the results as JSON (written whole or not at all)
        """;


    public static int Run(ArgReader args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string[] models = args.String("--forecaster")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [.. Forecasters.Catalog.ForecastingNames];
        int horizon = args.Int("--horizon", 10, 1, 1000);
        var options = new BacktestOptions
        {
            OriginEvery = args.Int("--origin-every", 1, 1, 1_000_000),
            TrainFraction = args.Double("--train-fraction", 0.5, 0, 0.95),
            Split = SplitMode(args.String("--split")),
            Folds = args.Int("--folds", 5, 2, 100),
            BurstMargin = args.Double("--burst-margin", 0.2, 0.01, 1),
            TrainingApplications = args.String("--training-applications") is null ? null : args.Int("--training-applications", 0, 1, 1_000_000),
        };
        string? alibaba = args.String("--alibaba");
        int minSamples = args.Int("--min-samples", 100, 1, 1_000_000);
        string? json = args.String("--json");
        bool noActivity = args.Flag("--no-activity");
        bool perHorizon = args.Flag("--per-horizon");
        args.RejectUnknown();
        if (models.Length == 0)
        {
            throw new UsageException("option --forecaster: expected a comma-separated list of forecasters, got none");
        }

        foreach (string m in models)
        {
            Known(() => Forecasters.Create(m, horizon, QuantileGrid.Backtest));
        }

        // The headline is skill against these two, so they always run (after the models asked for).
        models = [.. models, .. BacktestReport.Baselines.Where(b => !models.Contains(b, StringComparer.Ordinal))];

        if (args.Positional.Count == 0 && alibaba is null)
        {
            throw new UsageException("nothing to backtest: name trace files or folders, or --alibaba FOLDER");
        }

        var reports = new List<BacktestReport>();
        int failed = 0;
        foreach (BacktestSource source in Sources(args.Positional, alibaba, minSamples, stderr, cancellationToken).Select(s => noActivity ? s.WithoutActivity() : s))
        {
            var results = new List<BacktestResult>(models.Length);
            foreach (string m in models)
            {
                try
                {
                    results.Add(Backtest.Run(source.Series, () => Forecasters.Create(m, horizon, QuantileGrid.Backtest), options with { Progress = Progress(stderr, source.Name, m) }, source.Groups, cancellationToken));
                }
                catch (ArgumentException e) when (options.Split == BacktestSplit.ByApplication && e.ParamName == "groups")
                {
                    throw new UsageException($"--split by-application on {source.Name}: {e.Message.Split(" (Parameter", 2)[0]}");
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
                {
                    // One model failing on some data must not hide the others' results.
                    ClearProgress(stderr);
                    stderr.WriteLine($"gpupredictctl: {source.Name}: forecaster '{m}' failed: {e.Message}");
                    failed++;
                }
            }

            ClearProgress(stderr);
            var report = new BacktestReport(source.Name, source.StepSeconds, source.Series.Count, source.Note, options.Split, options.TrainFraction, options.OriginEvery, options.BurstMargin, [.. results]);
            BacktestTable.Write(stdout, report, perHorizon);
            reports.Add(report);
        }

        if (json is not null)
        {
            AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, reports, JsonOptions.Report));
            stderr.WriteLine($"wrote {json}");
        }

        return failed == 0 ? 0 : 1;
    }

    private static BacktestSplit SplitMode(string? value) => value switch
    {
        null or "per-series" => BacktestSplit.PerSeries,
        "by-application" => BacktestSplit.ByApplication,
        _ => throw new UsageException($"option --split: expected per-series or by-application, got '{value}'"),
    };

    /// <summary>Loads every source before any model runs, so that bad input fails fast; sources without series are skipped with a note.</summary>
    private static List<BacktestSource> Sources(IReadOnlyList<string> paths, string? alibaba, int minSamples, TextWriter stderr, CancellationToken cancellationToken)
    {
        var sources = new List<BacktestSource>();
        if (paths.Count > 0)
        {
            sources.Add(BacktestSource.FromTraces(TraceFiles.Expand(paths), stderr, cancellationToken));
        }

        if (alibaba is not null)
        {
            sources.Add(BacktestSource.FromAlibaba(alibaba, minSamples, cancellationToken));
        }

        foreach (BacktestSource empty in sources.Where(s => s.Series.Count == 0))
        {
            stderr.WriteLine($"{empty.Name}: no series to backtest ({empty.Note}), skipped");
        }

        sources.RemoveAll(s => s.Series.Count == 0);
        return sources.Count > 0 ? sources : throw new UsageException("none of the inputs has a series to backtest");
    }

    private static void Known(Func<IForecaster> create)
    {
        try
        {
            _ = create();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static Action<long, long>? Progress(TextWriter stderr, string source, string model) =>
        Console.IsErrorRedirected ? null : (done, total) => stderr.Write($"\r{source} {model}: step {done}/{total}   ");

    private static void ClearProgress(TextWriter stderr)
    {
        if (!Console.IsErrorRedirected)
        {
            stderr.Write("\r\u001b[K");
        }
    }
}

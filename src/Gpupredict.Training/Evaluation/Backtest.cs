using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Training.Evaluation;

/// <summary>
/// Rolling-origin evaluation of a forecaster on recorded demand: fit on the past, then forecast from
/// every origin of the future and score each forecast against what happened.
/// </summary>
public static class Backtest
{
    /// <summary>
    /// Runs one model over <paramref name="series"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Per series (<see cref="BacktestSplit.PerSeries"/>): of a series of n steps, the first
    /// <c>s = floor(n × TrainFraction)</c> are training. The training parts of all series go together to
    /// one <see cref="IForecaster.Fit"/> call (seeded with <see cref="BacktestOptions.Seed"/>). Then each
    /// series in turn is streamed into the forecaster from step 0 (training steps too, so that
    /// streaming state is warm when scoring starts) and forgotten at its end. The origins are the steps
    /// t = max(s − 1, 0), then every <see cref="BacktestOptions.OriginEvery"/>-th step after it: after
    /// observing step t the forecast is taken, and its horizon step h (1-based) is the forecast of step
    /// t + h, scored against the actual value of step t + h where the series has one. So every scored
    /// step lies in the evaluation part.
    /// </para>
    /// <para>
    /// By application (<see cref="BacktestSplit.ByApplication"/>): the applications
    /// (<paramref name="groups"/>) are dealt into folds (<see cref="BacktestFolds.Assign"/>). For each
    /// fold a fresh forecaster is fitted on the whole series of the other folds, then streams each
    /// series of its fold from step 0 with origins from step 0: scored from the first step of an
    /// application it has never seen, as the daemon meets one. Scores pool over the folds.
    /// </para>
    /// <para>
    /// Only resources the series observes (<see cref="DemandSeries.Observed"/>) are scored; an
    /// unobserved resource is 0 in the data and would only reward forecasting 0. Deterministic for a
    /// deterministic forecaster; O(steps × H × levels) besides the forecaster's own cost.
    /// </para>
    /// </remarks>
    /// <param name="series">The recorded demand; each series is one process.</param>
    /// <param name="create">Makes an untrained forecaster; called once per series split, once per fold by application.</param>
    /// <param name="options">Split, origin spacing, seed and progress.</param>
    /// <param name="groups">
    /// The application each series belongs to, for a by-application split (series of one group are
    /// never split across folds); null for one application per series.
    /// </param>
    /// <param name="cancellationToken">Stops a long run between steps.</param>
    /// <returns>Scores per resource and horizon step, and at burst onsets.</returns>
    /// <exception cref="ArgumentOutOfRangeException">TrainFraction outside [0, 1), OriginEvery &lt; 1, Folds &lt; 2 or BurstMargin outside (0, 1].</exception>
    /// <exception cref="ArgumentException">A by-application split with fewer than two applications, or groups not one per series.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static BacktestResult Run(IReadOnlyList<DemandSeries> series, Func<IForecaster> create, BacktestOptions options, IReadOnlyList<string>? groups = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.TrainFraction >= 0 && options.TrainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainFraction, "TrainFraction must be in [0, 1)");
        }

        if (!(options.BurstMargin > 0 && options.BurstMargin <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BurstMargin, "BurstMargin must be in (0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.OriginEvery, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2, nameof(options));
        if (groups is not null && groups.Count != series.Count)
        {
            throw new ArgumentException($"{groups.Count} groups for {series.Count} series", nameof(groups));
        }

        return options.Split == BacktestSplit.ByApplication
            ? ByApplication(series, create, options, groups ?? [.. series.Select((_, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken)
            : PerSeries(series, create, options, cancellationToken);
    }

    private static BacktestResult PerSeries(IReadOnlyList<DemandSeries> series, Func<IForecaster> create, BacktestOptions options, CancellationToken cancellationToken)
    {
        IForecaster forecaster = create();
        int[] splits = [.. series.Select(s => TrainingSteps(s.Count, options.TrainFraction))];
        forecaster.Fit(TrainingParts(series, splits), options.Seed);

        var run = new BacktestRun(forecaster, options, series.Sum(s => (long)s.Count));
        for (int i = 0; i < series.Count; i++)
        {
            run.Stream(forecaster, series[i], splits[i], cancellationToken);
        }

        return run.Result(1, series.Count, splits.Sum(s => (long)s));
    }

    private static BacktestResult ByApplication(IReadOnlyList<DemandSeries> series, Func<IForecaster> create, BacktestOptions options, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        (int[] fold, int folds) = BacktestFolds.Assign(groups, options.Folds, options.Seed);
        BacktestRun? run = null;
        long trained = 0;
        for (int k = 0; k < folds; k++)
        {
            HashSet<string> seen = TrainingGroups(groups, fold, k, options.TrainingApplications, options.Seed);
            List<DemandSeries> training = [.. series.Where((_, i) => seen.Contains(groups[i]))];
            IForecaster forecaster = create();
            forecaster.Fit(training, options.Seed);
            trained += training.Sum(s => (long)s.Count);
            run ??= new BacktestRun(forecaster, options, series.Sum(s => (long)s.Count));
            for (int i = 0; i < series.Count; i++)
            {
                if (fold[i] == k)
                {
                    run.Stream(forecaster, series[i], 0, cancellationToken);
                }
            }
        }

        return run!.Result(folds, series.Count, trained);
    }

    /// <summary>The applications fold <paramref name="k"/>'s model is fitted on: every other fold's, or a seeded draw of <paramref name="limit"/> of them.</summary>
    private static HashSet<string> TrainingGroups(IReadOnlyList<string> groups, int[] fold, int k, int? limit, int seed)
    {
        string[] others = [.. groups.Where((_, i) => fold[i] != k).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (limit is int n && n < others.Length)
        {
            new Random(unchecked((seed * 7919) + k)).Shuffle(others); // not HashCode.Combine: that is salted per process
            others = others[..n];
        }

        return new HashSet<string>(others, StringComparer.Ordinal);
    }

    /// <summary>Training steps of a series of <paramref name="count"/> steps: floor(count × fraction).</summary>
    internal static int TrainingSteps(int count, double fraction) => (int)Math.Floor(count * fraction);

    private static List<DemandSeries> TrainingParts(IReadOnlyList<DemandSeries> series, int[] splits)
    {
        var parts = new List<DemandSeries>(series.Count);
        for (int i = 0; i < series.Count; i++)
        {
            DemandSeries s = series[i];
            int n = splits[i];
            if (n > 0)
            {
                parts.Add(s.Head(n));
            }
        }

        return parts;
    }
}

namespace Gpupredict.Training.Evaluation;

/// <summary>How <see cref="Backtest.Run"/> splits and samples the series. An immutable snapshot.</summary>
public sealed record BacktestOptions
{
    /// <summary>
    /// Share of each series' steps used for training, in [0, 1): the first
    /// <c>floor(Count × TrainFraction)</c> steps of every series go, together, to
    /// <see cref="Core.Forecasts.IForecaster.Fit"/>; forecasts are scored only on the steps after them.
    /// Default 0.5.
    /// </summary>
    public double TrainFraction { get; init; } = 0.5;

    /// <summary>How training and scored data are separated. Default <see cref="BacktestSplit.PerSeries"/>.</summary>
    public BacktestSplit Split { get; init; } = BacktestSplit.PerSeries;

    /// <summary>
    /// Folds of a <see cref="BacktestSplit.ByApplication"/> split, ≥ 2 (fewer when there are fewer
    /// applications). Default 5. <see cref="TrainFraction"/> does not apply there: each fold's model is
    /// fitted on the whole series of the other folds.
    /// </summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// In a <see cref="BacktestSplit.ByApplication"/> split, fit each fold's model on at most this many
    /// of the other folds' applications (a seeded draw), for learning curves: how the score moves with
    /// the number of applications seen in training. Null (default): all of them.
    /// </summary>
    public int? TrainingApplications { get; init; }

    /// <summary>
    /// A scored point is a burst onset when the actual value h steps ahead exceeds the value at the
    /// origin (the last one the forecaster saw) by more than this share of the series' range
    /// (max − min of that resource over the series), in (0, 1]. Default 0.2.
    /// </summary>
    public double BurstMargin { get; init; } = 0.2;

    /// <summary>Forecast (and score) at every K-th origin of the evaluation part, K ≥ 1. Default 1: every step.</summary>
    public int OriginEvery { get; init; } = 1;

    /// <summary>Seed handed to <see cref="Core.Forecasts.IForecaster.Fit"/>. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Called now and then with (steps streamed so far, steps in all series), and once at the end;
    /// null for none. Called on the thread that runs the backtest.
    /// </summary>
    public Action<long, long>? Progress { get; init; }
}

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

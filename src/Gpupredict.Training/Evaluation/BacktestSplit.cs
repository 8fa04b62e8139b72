namespace Gpupredict.Training.Evaluation;

/// <summary>What a backtest trains on and what it scores.</summary>
public enum BacktestSplit
{
    /// <summary>
    /// Every series is cut in time: the first part of each goes to training, the rest is scored. The
    /// model has seen the past of every application it forecasts.
    /// </summary>
    PerSeries,

    /// <summary>
    /// The applications are dealt into folds; each fold is scored from its first step by a model fitted
    /// on the other folds only. The model has never seen the applications it forecasts: the daemon's
    /// situation when a new application starts.
    /// </summary>
    ByApplication,
}

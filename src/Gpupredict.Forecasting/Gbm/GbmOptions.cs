using System.Globalization;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// Training budget of the GBM forecaster: LightGBM's tree and boosting parameters plus how many
/// training rows are kept. Training is single-threaded and <c>deterministic=true</c>, so a seed and
/// input give the same model on every machine with the same lib_lightgbm.
/// </summary>
public sealed record GbmOptions
{
    /// <summary>Boosting rounds per booster (LightGBM <c>num_iterations</c>), ≥ 1.</summary>
    public int Rounds { get; init; } = 100;

    /// <summary>Leaves per tree (<c>num_leaves</c>), ≥ 2.</summary>
    public int Leaves { get; init; } = 31;

    /// <summary>Shrinkage (<c>learning_rate</c>), in (0, 1].</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Fewest rows per leaf (<c>min_data_in_leaf</c>), ≥ 1; also half the fewest rows a fit trains on.</summary>
    public int MinRowsInLeaf { get; init; } = 20;

    /// <summary>
    /// Histogram bins per feature (LightGBM <c>max_bin</c>), 2..255. 63 instead of LightGBM's 255: a
    /// few thousand rows do not resolve finer splits, and it trains about 40 % faster.
    /// </summary>
    public int MaxBins { get; init; } = 63;

    /// <summary>Most training rows (forecast origins); more are subsampled with the fit's seed.</summary>
    public int MaxRows { get; init; } = 4096;

    /// <summary>
    /// Learn from the event-derived features (<see cref="GbmFeatures.ActivityCount"/>) when the
    /// series carry activity; false (the "gbm" policy) feeds zeros instead, so both variants share one
    /// layout and a backtest can compare them ("gbm-events" sets it).
    /// </summary>
    public bool UseActivity { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rounds, 1, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(Leaves, 2, nameof(Leaves));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinRowsInLeaf, 1, nameof(MinRowsInLeaf));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRows, 2, nameof(MaxRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBins, 2, nameof(MaxBins));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBins, 255, nameof(MaxBins));
        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be in (0, 1]");
        }
    }

    /// <summary>LightGBM's parameter string for the level-<paramref name="alpha"/> quantile booster (also used for its dataset).</summary>
    internal string Parameters(double alpha, int seed) => string.Create(
        CultureInfo.InvariantCulture,
        $"objective=quantile alpha={alpha:R} num_leaves={Leaves} learning_rate={LearningRate:R} min_data_in_leaf={MinRowsInLeaf} max_bin={MaxBins} " +
        $"seed={seed} deterministic=true force_col_wise=true num_threads=1 verbosity=-1");
}

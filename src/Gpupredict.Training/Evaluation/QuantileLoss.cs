namespace Gpupredict.Training.Evaluation;

/// <summary>The scoring rules of a quantile forecast.</summary>
public static class QuantileLoss
{
    /// <summary>
    /// The pinball (quantile) loss of predicting <paramref name="quantile"/> as the level-τ quantile when
    /// <paramref name="actual"/> happened: τ·(y − q) when y ≥ q, else (1 − τ)·(q − y). In the unit of the
    /// values; 0 only when q = y; its expectation is minimal at the true τ-quantile.
    /// </summary>
    /// <param name="level">τ, inside (0, 1).</param>
    /// <param name="quantile">q, the forecast value.</param>
    /// <param name="actual">y, the observed value.</param>
    public static double Pinball(double level, double quantile, double actual) =>
        actual >= quantile ? level * (actual - quantile) : (1 - level) * (quantile - actual);
}

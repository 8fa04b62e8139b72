namespace Gpupredict.Training.Evaluation;

/// <summary>What <see cref="Backtest.Run"/> measured for one model.</summary>
/// <param name="Forecaster">The forecaster's policy name.</param>
/// <param name="Horizon">Steps forecast ahead.</param>
/// <param name="Levels">The quantile levels forecast.</param>
/// <param name="Split">How training and scored data were separated.</param>
/// <param name="Folds">Folds of a by-application split (each scored by a model fitted on the others); 1 for a per-series split.</param>
/// <param name="Series">Series given.</param>
/// <param name="TrainingSteps">Steps handed to Fit, over all series (and, by application, over all folds).</param>
/// <param name="Origins">Forecasts made and scored.</param>
/// <param name="Resources">
/// One entry per resource that at least one series observes and that got a scored point, in
/// resource order; resources no series observes are absent, not zero.
/// </param>
public sealed record BacktestResult(
    string Forecaster,
    int Horizon,
    IReadOnlyList<double> Levels,
    BacktestSplit Split,
    int Folds,
    int Series,
    long TrainingSteps,
    long Origins,
    IReadOnlyList<ResourceBacktest> Resources)
{
    /// <summary>
    /// The mean over <see cref="Resources"/> of the scaled pinball pooled over all horizon steps: the one
    /// number models are ranked by (lower is better); null when no resource has one.
    /// </summary>
    public double? MeanScaledPinball
    {
        get
        {
            double[] scaled = [.. Resources.Select(r => r.AllHorizons.ScaledPinball).OfType<double>()];
            return scaled.Length == 0 ? null : scaled.Average();
        }
    }

    /// <summary>
    /// The same mean over the burst-onset points only (<see cref="ResourceBacktest.BurstOnsets"/>),
    /// each resource scaled by its mean |actual| over all points, so that it reads on the scale of
    /// <see cref="MeanScaledPinball"/>; null when no resource had an onset.
    /// </summary>
    public double? MeanScaledBurstPinball
    {
        get
        {
            double[] scaled = [.. Resources
                .Where(r => r.BurstOnsets.Points > 0 && r.AllHorizons.MeanAbsActual > 0)
                .Select(r => r.BurstOnsets.Pinball / r.AllHorizons.MeanAbsActual)];
            return scaled.Length == 0 ? null : scaled.Average();
        }
    }
}

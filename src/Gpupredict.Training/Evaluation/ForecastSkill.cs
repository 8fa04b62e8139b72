namespace Gpupredict.Training.Evaluation;

/// <summary>
/// How much better a model is than a baseline on the same points: 1 − model / baseline of the mean
/// scaled pinball. 0 = as good as the baseline, 0.2 = 20 % lower loss, negative = worse.
/// </summary>
/// <param name="Baseline">The baseline's policy name.</param>
/// <param name="Overall">Over every scored point; null when either has no score.</param>
/// <param name="BurstOnsets">Over the burst-onset points only (<see cref="BacktestOptions.BurstMargin"/>); null when there are none.</param>
public sealed record ForecastSkill(string Baseline, double? Overall, double? BurstOnsets)
{
    /// <summary>The skill of <paramref name="model"/> against <paramref name="baseline"/>.</summary>
    public static ForecastSkill Of(BacktestResult model, BacktestResult baseline)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        return new ForecastSkill(baseline.Forecaster, Ratio(model.MeanScaledPinball, baseline.MeanScaledPinball), Ratio(model.MeanScaledBurstPinball, baseline.MeanScaledBurstPinball));
    }

    private static double? Ratio(double? model, double? baseline) =>
        model is double m && baseline is double b && b > 0 ? 1 - (m / b) : null;
}

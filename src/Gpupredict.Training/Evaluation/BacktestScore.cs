namespace Gpupredict.Training.Evaluation;

/// <summary>
/// Scores of one model on one resource over a set of (origin, horizon) points. Values in the resource's
/// unit (SM fraction, bytes/s or bytes) unless said otherwise. Metrics that cannot be computed are null.
/// </summary>
/// <param name="Points">Forecast values scored (pairs of origin and horizon step whose actual exists).</param>
/// <param name="Mae">Mean absolute error of the median: the level closest to 0.5.</param>
/// <param name="Pinball">Mean pinball loss, averaged over all levels and points.</param>
/// <param name="MeanAbsActual">Mean |actual| of the scored points: the scale of <see cref="ScaledPinball"/>.</param>
/// <param name="ScaledPinball">
/// <see cref="Pinball"/> / <see cref="MeanAbsActual"/>: unit-free, so that resources of wildly different
/// scale (bytes vs fractions) and data sets can be compared and averaged; null when every actual is 0.
/// </param>
/// <param name="Coverage80">Share of points inside [level 0.1, level 0.9]; null when those levels are not forecast.</param>
/// <param name="Width80">Mean width of that interval.</param>
/// <param name="Coverage98">Share of points inside [level 0.01, level 0.99]; null when those levels are not forecast.</param>
/// <param name="Width98">Mean width of that interval.</param>
public sealed record BacktestScore(
    long Points,
    double Mae,
    double Pinball,
    double MeanAbsActual,
    double? ScaledPinball,
    double? Coverage80,
    double? Width80,
    double? Coverage98,
    double? Width98);

using Gpupredict.Core.Demand;

namespace Gpupredict.Training.Evaluation;

/// <summary>The scores of one resource: per horizon step, pooled over all of them, and at burst onsets.</summary>
/// <param name="Resource">The resource scored.</param>
/// <param name="ByHorizon">Element <c>h − 1</c> scores the forecasts h steps ahead, h = 1..H.</param>
/// <param name="AllHorizons">Every point of every horizon step pooled (a point-weighted mean over h = 1..H).</param>
/// <param name="BurstOnsets">
/// The points of every horizon step where demand rose past the value at the origin by more than
/// <see cref="BacktestOptions.BurstMargin"/> of the series' range: where a forecaster that only
/// carries the present forward is caught short. <see cref="BacktestScore.Points"/> is 0 when there were none.
/// </param>
public sealed record ResourceBacktest(Resource Resource, IReadOnlyList<BacktestScore> ByHorizon, BacktestScore AllHorizons, BacktestScore BurstOnsets);

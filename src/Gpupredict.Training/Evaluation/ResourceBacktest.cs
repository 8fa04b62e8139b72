using Gpupredict.Core.Demand;

namespace Gpupredict.Training.Evaluation;

/// <summary>The scores of one resource: per horizon step and pooled over all of them.</summary>
/// <param name="Resource">The resource scored.</param>
/// <param name="ByHorizon">Element <c>h − 1</c> scores the forecasts h steps ahead, h = 1..H.</param>
/// <param name="AllHorizons">Every point of every horizon step pooled (a point-weighted mean over h = 1..H).</param>
public sealed record ResourceBacktest(Resource Resource, IReadOnlyList<BacktestScore> ByHorizon, BacktestScore AllHorizons);

namespace Gpupredict.Forecasting.Neural;

/// <summary>One epoch of <see cref="MlpQuantileForecaster"/>'s training: mean pinball losses in the scaled space.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean pinball loss over the epoch's training windows (per horizon step and level).</param>
/// <param name="ValidationLoss">Mean pinball loss on the held-out windows after the epoch; NaN without validation windows.</param>
/// <param name="LearningRate">The Adam step size used in the epoch.</param>
public readonly record struct MlpEpoch(int Epoch, double TrainLoss, double ValidationLoss, float LearningRate);

namespace Gpupredict.Forecasting.Neural;

/// <summary>One epoch of a neural forecaster's training (<see cref="EarlyStopping"/>): mean pinball losses in the scaled space.</summary>
/// <param name="Epoch">1-based epoch; 0 is the parameters before training.</param>
/// <param name="TrainLoss">Mean pinball loss over the epoch's training samples (per horizon step and level); NaN for epoch 0.</param>
/// <param name="ValidationLoss">Mean pinball loss on the held-out samples after the epoch; NaN without validation samples.</param>
/// <param name="LearningRate">The Adam step size used in the epoch.</param>
public readonly record struct TrainingEpoch(int Epoch, double TrainLoss, double ValidationLoss, float LearningRate);

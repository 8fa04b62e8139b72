using Gpupredict.Training.Evaluation;

namespace Gpupredict.Training.Tests.Evaluation;

public sealed class QuantileLossTests
{
    [Theory]
    [InlineData(0.9, 10, 12, 1.8)] // under-forecast: 0.9 × (12 − 10)
    [InlineData(0.9, 10, 7, 0.3)]  // over-forecast: (1 − 0.9) × (10 − 7)
    [InlineData(0.1, 10, 12, 0.2)] // 0.1 × 2
    [InlineData(0.1, 10, 7, 2.7)]  // 0.9 × 3
    [InlineData(0.5, 4, 4, 0.0)]   // exact
    public void Pinball_KnownQuantileAndActual_IsTheWrittenOutLoss(double level, double quantile, double actual, double expected) =>
        Assert.Equal(expected, QuantileLoss.Pinball(level, quantile, actual), 12);
}

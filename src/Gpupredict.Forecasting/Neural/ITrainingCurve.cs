namespace Gpupredict.Forecasting.Neural;

/// <summary>A forecaster trained by <see cref="EarlyStopping"/> that keeps its last fit's learning curve.</summary>
public interface ITrainingCurve
{
    /// <summary>
    /// The last <c>Fit</c>'s training curve: epoch 0 is the untrained network's validation loss, then
    /// one entry per epoch run (early stopping may end it early; the parameters kept are those of the
    /// lowest validation loss). Empty before a fit, after a load, or when the data held no sample.
    /// </summary>
    IReadOnlyList<TrainingEpoch> TrainingCurve { get; }
}

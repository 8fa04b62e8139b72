namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Hyper-parameters of <see cref="TransformerQuantileForecaster"/>: encoder size, context length and
/// the training budget. The defaults train in well under a second on one core, whatever the data size.
/// </summary>
/// <param name="Model">Model width d (embedding and attention size), 1..256.</param>
/// <param name="Window">Steps of context W the encoder attends over, 1..1024.</param>
/// <param name="FeedForward">Hidden units of the block's feed-forward layer, 1..1024.</param>
/// <param name="BatchSize">Windows per optimiser step, ≥ 1.</param>
/// <param name="TrainingSteps">Optimiser (Adam) steps per epoch, ≥ 0.</param>
/// <param name="LearningRate">Peak Adam step size, &gt; 0; it decays along a cosine to 5 % by <paramref name="MaxEpochs"/>.</param>
/// <param name="ClipNorm">Gradients are scaled down to this global L2 norm, &gt; 0.</param>
/// <param name="MaxEpochs">Epochs at most, ≥ 0 (0: the untrained network, i.e. persistence).</param>
/// <param name="Patience">Epochs without a better validation pinball before training stops, ≥ 1.</param>
/// <param name="ValidationFraction">The last part of each training series held out for early stopping, in [0, 0.9].</param>
/// <param name="ScaleDecay">Per-step decay of each application's running peak that scales its values, in (0, 1].</param>
public sealed record TransformerOptions(
    int Model = 32,
    int Window = 32,
    int FeedForward = 64,
    int BatchSize = 16,
    int TrainingSteps = 25,
    float LearningRate = 3e-3f,
    float ClipNorm = 1f,
    int MaxEpochs = 12,
    int Patience = 3,
    float ValidationFraction = 0.2f,
    float ScaleDecay = 0.995f)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Model, 1, nameof(Model));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Model, 256, nameof(Model));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Window, 1024, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(FeedForward, 1, nameof(FeedForward));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FeedForward, 1024, nameof(FeedForward));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(TrainingSteps, nameof(TrainingSteps));
        if (!(LearningRate > 0 && float.IsFinite(LearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be finite and > 0");
        }

        if (!(ClipNorm > 0 && float.IsFinite(ClipNorm)))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "the clipping norm must be finite and > 0");
        }

        NeuralBudget.Validate(MaxEpochs, Patience, ValidationFraction, ScaleDecay);
    }
}

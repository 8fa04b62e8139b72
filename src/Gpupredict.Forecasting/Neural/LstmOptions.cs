namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Hyper-parameters of <see cref="LstmQuantileForecaster"/> (and the GRU and Elman RNN): network size,
/// each application's scale and the training budget. The defaults train in a few seconds on ~10k steps of data on one core.
/// </summary>
/// <param name="Hidden">LSTM hidden units, 1..1024.</param>
/// <param name="Window">Truncated-BPTT window length in steps, ≥ 2.</param>
/// <param name="BurnIn">Leading steps of each window that warm the state and carry no loss, 0..Window-1.</param>
/// <param name="BatchSize">Windows per optimiser step, ≥ 1.</param>
/// <param name="TrainingSteps">Optimiser (Adam) steps per epoch, ≥ 0.</param>
/// <param name="LearningRate">Peak Adam step size, &gt; 0; it decays along a cosine to 5 % by <paramref name="MaxEpochs"/>.</param>
/// <param name="ClipNorm">Gradients are scaled down to this global L2 norm, &gt; 0.</param>
/// <param name="MaxEpochs">Epochs at most, ≥ 0 (0: the untrained network, i.e. persistence).</param>
/// <param name="Patience">Epochs without a better validation pinball before training stops, ≥ 1.</param>
/// <param name="ValidationFraction">The last part of each training series held out for early stopping, in [0, 0.9].</param>
/// <param name="ScaleDecay">Per-step decay of each application's running peak that scales its values, in (0, 1].</param>
public sealed record LstmOptions(
    int Hidden = 32,
    int Window = 48,
    int BurnIn = 8,
    int BatchSize = 16,
    int TrainingSteps = 40,
    float LearningRate = 5e-3f,
    float ClipNorm = 1f,
    int MaxEpochs = 30,
    int Patience = 5,
    float ValidationFraction = 0.2f,
    float ScaleDecay = 0.995f)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Hidden, 1, nameof(Hidden));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Hidden, 1024, nameof(Hidden));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 2, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfNegative(BurnIn, nameof(BurnIn));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(BurnIn, Window, nameof(BurnIn));
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

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Hyper-parameters of <see cref="MlpQuantileForecaster"/>: the lookback, how each application's
/// values are put on a unit-free scale, the network size and the training budget. The defaults
/// train on a few hundred thousand steps of data within a minute on one core.
/// </summary>
/// <param name="Lookback">Steps of history each forecast reads, 2..256.</param>
/// <param name="Hidden">Units in each of the two hidden layers, 1..512.</param>
/// <param name="Base">What the network's median is added to: the newest value or the application's running EWMA level.</param>
/// <param name="LogBytes">Bandwidth and VRAM go through log1p before scaling (else they are scaled as they are, like the SM fraction).</param>
/// <param name="ScaleDecay">Per-step decay of each application's running peak |x| that scales its values, in (0, 1].</param>
/// <param name="EwmaAlpha">Weight of the newest value in the running level given to the network, in (0, 1].</param>
/// <param name="BatchSize">Windows per optimiser step, ≥ 1.</param>
/// <param name="MaxEpochs">Epochs at most, ≥ 0 (0: the untrained network, i.e. the base itself).</param>
/// <param name="EpochSamples">Windows drawn per epoch, ≥ 1 (fewer when the data has fewer).</param>
/// <param name="LearningRate">Peak Adam step size, &gt; 0; it decays along a cosine to 5 % by <paramref name="MaxEpochs"/>.</param>
/// <param name="Patience">Epochs without a better validation pinball before training stops, ≥ 1.</param>
/// <param name="ValidationFraction">The last part of each training series held out for early stopping, in [0, 0.9].</param>
/// <param name="MaxWindows">Windows kept from the training data at most (origins are thinned evenly beyond it), ≥ 1.</param>
/// <param name="UseActivity">Also read what the application did in its newest step (<see cref="Gpupredict.Core.Demand.ActivityChannel"/>, 12 inputs) where the source records it.</param>
public sealed record MlpOptions(
    int Lookback = 32,
    int Hidden = 32,
    MlpBase Base = MlpBase.Last,
    bool LogBytes = false,
    float ScaleDecay = 0.995f,
    float EwmaAlpha = 0.3f,
    int BatchSize = 128,
    int MaxEpochs = 40,
    int EpochSamples = 16384,
    float LearningRate = 2e-3f,
    int Patience = 5,
    float ValidationFraction = 0.2f,
    int MaxWindows = 400_000,
    bool UseActivity = false)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Lookback, 2, nameof(Lookback));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Lookback, 256, nameof(Lookback));
        ArgumentOutOfRangeException.ThrowIfLessThan(Hidden, 1, nameof(Hidden));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Hidden, 512, nameof(Hidden));
        if (!Enum.IsDefined(Base))
        {
            throw new ArgumentOutOfRangeException(nameof(Base), Base, "unknown base");
        }

        Fraction(ScaleDecay, nameof(ScaleDecay), 1e-3f, 1f);
        Fraction(EwmaAlpha, nameof(EwmaAlpha), 1e-3f, 1f);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxEpochs, nameof(MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(EpochSamples, 1, nameof(EpochSamples));
        if (!(LearningRate > 0 && float.IsFinite(LearningRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be finite and > 0");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1, nameof(Patience));
        Fraction(ValidationFraction, nameof(ValidationFraction), 0f, 0.9f);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWindows, 1, nameof(MaxWindows));
    }

    private static void Fraction(float value, string name, float min, float max)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"must be in [{min}, {max}]");
        }
    }
}

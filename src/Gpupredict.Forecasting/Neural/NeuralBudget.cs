namespace Gpupredict.Forecasting.Neural;

/// <summary>Checks of the early-stopping budget and scaling fields the sequence forecasters' options share.</summary>
internal static class NeuralBudget
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public static void Validate(int maxEpochs, int patience, float validationFraction, float scaleDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEpochs, "MaxEpochs");
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1, "Patience");
        Within(validationFraction, 0f, 0.9f, "ValidationFraction");
        Within(scaleDecay, 1e-3f, 1f, "ScaleDecay");
    }

    private static void Within(float value, float min, float max, string name)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"must be in [{min}, {max}]");
        }
    }
}

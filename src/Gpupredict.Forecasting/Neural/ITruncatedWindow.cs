namespace Gpupredict.Forecasting.Neural;

/// <summary>One truncated-BPTT window of a recurrent network: the loss and its gradient.</summary>
internal interface ITruncatedWindow
{
    /// <summary>
    /// Mean pinball loss of the window at <paramref name="start"/> of <paramref name="series"/>
    /// (steps × 3, normalised), adding <paramref name="weight"/> × its gradient to <paramref name="grad"/>;
    /// needs <c>start + steps + Horizon ≤ series steps</c>.
    /// </summary>
    double Run(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> series, int start, int steps, int burnIn, float weight);
}

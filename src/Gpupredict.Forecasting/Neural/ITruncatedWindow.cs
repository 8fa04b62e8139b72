namespace Gpupredict.Forecasting.Neural;

/// <summary>One truncated-BPTT window of a recurrent network: the loss and its gradient.</summary>
internal interface ITruncatedWindow
{
    /// <summary>
    /// Mean pinball loss of the window at <paramref name="start"/> of <paramref name="series"/>
    /// (on each origin's scale), adding <paramref name="weight"/> × its gradient to <paramref name="grad"/>
    /// unless it is empty (validation); needs <c>start + steps + Horizon ≤ series steps</c>.
    /// </summary>
    double Run(ReadOnlySpan<float> p, Span<float> grad, ScaledSeries series, int start, int steps, int burnIn, float weight);
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One training sample of the Transformer forecaster: the W steps of a scaled series ending at
/// step <c>end</c> (steps before the series start are zero features, as in a young stream), the
/// quantiles from the encoder's last position, their mean pinball loss against the next Horizon
/// steps on step <c>end</c>'s scale, and (unless the gradient vector is empty) <c>weight</c> × its
/// exact gradient added to it. Buffers are reused.
/// </summary>
internal sealed class TransformerWindow
{
    private readonly TransformerLayout _l;
    private readonly TransformerEncoder _encoder;
    private readonly RecurrentHead _head;
    private readonly float[] _dy;

    public TransformerWindow(TransformerLayout layout)
    {
        _l = layout;
        _encoder = new TransformerEncoder(layout);
        _head = new RecurrentHead(layout.Horizon, layout.Levels, layout.Median, layout.HeadOffset, layout.HeadBiasOffset);
        _dy = new float[layout.Model];
    }

    /// <summary>
    /// Mean pinball loss of the forecast made at step <paramref name="end"/> of <paramref name="series"/>
    /// (scaled), adding <paramref name="weight"/> × its gradient to <paramref name="grad"/>;
    /// needs <c>end + Horizon</c> &lt; series steps.
    /// </summary>
    public double Run(ReadOnlySpan<float> p, Span<float> grad, ScaledSeries series, int end, float weight)
    {
        Fill(_l.Window, series, end, _encoder.Input);
        _encoder.Forward(p);
        double loss = _head.Train(p, grad, series, end, _encoder.Output, _dy, weight / _l.Outputs);
        if (!grad.IsEmpty)
        {
            _encoder.Backward(p, grad, _dy);
        }

        return loss / _l.Outputs;
    }

    /// <summary>The features of the <paramref name="window"/> steps ending at <paramref name="end"/>, oldest first; zeros before step 0.</summary>
    public static void Fill(int window, ScaledSeries series, int end, Span<float> x)
    {
        int features = StepFeatures.Count;
        for (int t = 0; t < window; t++)
        {
            int step = end - (window - 1) + t;
            Span<float> row = x.Slice(t * features, features);
            if (step < 0)
            {
                row.Clear();
            }
            else
            {
                series.Features.AsSpan(step * features, features).CopyTo(row);
            }
        }
    }
}

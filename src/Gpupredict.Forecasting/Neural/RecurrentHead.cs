using System.Numerics.Tensors;
using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The quantile head every recurrent network shares: raw outputs <c>bo + Σₖ hₖ·Vtₖ</c> (Vt at
/// <c>headOffset</c>, H × O; bo at <c>headBiasOffset</c>; output o = (r·Horizon + h)·Levels + q),
/// made non-crossing by <see cref="QuantileHead"/>; scores them with the pinball loss in training
/// and de-normalises them for output. Buffers are reused across calls.
/// </summary>
internal sealed class RecurrentHead
{
    private readonly int _horizon, _median, _headOffset, _headBiasOffset, _outputs;
    private readonly double[] _levels;
    private readonly float[] _raw, _values, _gradValues, _gradRaw, _scratch;

    public RecurrentHead(int horizon, double[] levels, int median, int headOffset, int headBiasOffset)
    {
        _horizon = horizon;
        _levels = levels;
        _median = median;
        _headOffset = headOffset;
        _headBiasOffset = headBiasOffset;
        _outputs = horizon * levels.Length * Resources.Count;
        _raw = new float[_outputs];
        _values = new float[_outputs];
        _gradValues = new float[_outputs];
        _gradRaw = new float[_outputs];
        _scratch = new float[_outputs];
    }

    /// <summary>The head of <paramref name="l"/>.</summary>
    public RecurrentHead(RecurrentLayout l)
        : this(l.Horizon, l.Levels, l.Median, l.HeadOffset, l.HeadBiasOffset)
    {
    }

    /// <summary>
    /// Pinball loss (summed) of the quantiles from <paramref name="h"/> at absolute step <paramref name="a"/>
    /// of a normalised series against the next Horizon steps; adds <paramref name="gradScale"/> × its
    /// gradient to the head's parameters and writes d loss / d h into <paramref name="dh"/>.
    /// </summary>
    public double Train(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> series, int a, ReadOnlySpan<float> h, Span<float> dh, float gradScale)
    {
        int outputs = _outputs;
        p.Slice(_headBiasOffset, outputs).CopyTo(_raw);
        for (int k = 0; k < h.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(_headOffset + (k * outputs), outputs), h[k], _raw, _raw);
        }

        QuantileHead.Forward(_raw, _values, _scratch, _levels.Length, _median);
        double loss = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < _horizon; k++)
            {
                float y = series[((a + 1 + k) * 3) + r];
                for (int q = 0; q < _levels.Length; q++)
                {
                    int o = Output(r, k, q);
                    float tau = (float)_levels[q];
                    float d = y - _values[o];
                    loss += d >= 0 ? tau * d : (tau - 1) * d;
                    _gradValues[o] = (d > 0 ? -tau : 1 - tau) * gradScale;
                }
            }
        }

        QuantileHead.Backward(_raw, _gradValues, _gradRaw, _scratch, _levels.Length, _median);
        Span<float> headBias = grad.Slice(_headBiasOffset, outputs);
        TensorPrimitives.Add(headBias, _gradRaw, headBias);
        for (int k = 0; k < h.Length; k++)
        {
            Span<float> row = grad.Slice(_headOffset + (k * outputs), outputs);
            TensorPrimitives.MultiplyAdd(_gradRaw, h[k], row, row);
            dh[k] = TensorPrimitives.Dot(p.Slice(_headOffset + (k * outputs), outputs), _gradRaw);
        }

        return loss;
    }

    /// <summary>Monotone quantiles of raw head outputs, de-normalised per resource, scattered to [horizon][level][resource].</summary>
    public void Emit(LstmNormaliser n, ReadOnlySpan<float> raw, Span<float> output)
    {
        QuantileHead.Forward(raw, _values, _scratch, _levels.Length, _median);
        int perResource = _horizon * _levels.Length;
        for (int r = 0; r < 3; r++)
        {
            n.Denormalise(r, _values.AsSpan(r * perResource, perResource));
        }

        for (int h = 0; h < _horizon; h++)
        {
            for (int q = 0; q < _levels.Length; q++)
            {
                int at = ((h * _levels.Length) + q) * 3;
                output[at] = _values[Output(0, h, q)];
                output[at + 1] = _values[Output(1, h, q)];
                output[at + 2] = _values[Output(2, h, q)];
            }
        }
    }

    private int Output(int r, int h, int q) => (((r * _horizon) + h) * _levels.Length) + q;
}

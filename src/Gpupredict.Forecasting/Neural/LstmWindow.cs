using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One truncated-BPTT window: runs the network over <c>steps</c> consecutive steps of a normalised
/// series from a zero state, scores the quantiles of every step after the burn-in against the next
/// Horizon steps with the pinball loss (mean over steps, horizons, levels and resources), and adds
/// <c>weight</c> × its exact gradient to a gradient vector. Buffers are reused across calls.
/// </summary>
internal sealed class LstmWindow
{
    private readonly LstmLayout _l;
    private readonly float[] _xh, _act, _c, _tanhC, _h, _dhHead;
    private readonly float[] _raw, _values, _gradValues, _gradRaw, _scratch;
    private readonly float[] _dz, _dh, _dc;

    public LstmWindow(LstmLayout layout, int maxSteps)
    {
        _l = layout;
        int hidden = layout.Hidden;
        _xh = new float[maxSteps * layout.Inputs];
        _act = new float[maxSteps * layout.Gates];
        _c = new float[(maxSteps + 1) * hidden];
        _h = new float[(maxSteps + 1) * hidden];
        _tanhC = new float[maxSteps * hidden];
        _dhHead = new float[maxSteps * hidden];
        _raw = new float[layout.Outputs];
        _values = new float[layout.Outputs];
        _gradValues = new float[layout.Outputs];
        _gradRaw = new float[layout.Outputs];
        _scratch = new float[layout.Outputs];
        _dz = new float[layout.Gates];
        _dh = new float[hidden];
        _dc = new float[hidden];
        MaxSteps = maxSteps;
    }

    /// <summary>The longest window the buffers hold.</summary>
    public int MaxSteps { get; }

    /// <summary>
    /// Mean pinball loss of the window at <paramref name="start"/> of <paramref name="series"/>
    /// (steps × 3, normalised); needs <c>start + steps + Horizon ≤ series steps</c>.
    /// </summary>
    public double Run(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> series, int start, int steps, int burnIn, float weight)
    {
        int hidden = _l.Hidden;
        Array.Clear(_c, 0, hidden);
        Array.Clear(_h, 0, hidden);
        float gradScale = weight / ((steps - burnIn) * _l.Outputs);
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            ForwardStep(p, series, start, t);
            Span<float> dhHead = _dhHead.AsSpan(t * hidden, hidden);
            if (t < burnIn)
            {
                dhHead.Clear();
                continue;
            }

            loss += HeadStep(p, grad, series, start + t, _h.AsSpan((t + 1) * hidden, hidden), dhHead, gradScale);
        }

        Backward(p, grad, steps);
        return loss / ((steps - burnIn) * _l.Outputs);
    }

    private void ForwardStep(ReadOnlySpan<float> p, ReadOnlySpan<float> series, int start, int t)
    {
        int hidden = _l.Hidden;
        Span<float> xh = _xh.AsSpan(t * _l.Inputs, _l.Inputs);
        LstmCell.Features(series, start + t, xh);
        _h.AsSpan(t * hidden, hidden).CopyTo(xh[LstmLayout.Features..]);
        Span<float> gates = _act.AsSpan(t * _l.Gates, _l.Gates);
        LstmCell.PreActivations(_l, p, xh, gates);
        LstmCell.Activate(gates, hidden);
        Span<float> c = _c.AsSpan((t + 1) * hidden, hidden);
        _c.AsSpan(t * hidden, hidden).CopyTo(c);
        LstmCell.Update(gates, c, _tanhC.AsSpan(t * hidden, hidden), _h.AsSpan((t + 1) * hidden, hidden));
    }

    /// <summary>Head, loss and head gradients at absolute step <paramref name="a"/>; writes d loss / d h into <paramref name="dh"/>.</summary>
    private double HeadStep(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> series, int a, ReadOnlySpan<float> h, Span<float> dh, float gradScale)
    {
        LstmCell.Head(_l, p, h, _raw);
        QuantileHead.Forward(_raw, _values, _scratch, _l.LevelCount, _l.Median);
        double loss = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < _l.Horizon; k++)
            {
                float y = series[((a + 1 + k) * 3) + r];
                for (int q = 0; q < _l.LevelCount; q++)
                {
                    int o = _l.Output(r, k, q);
                    float tau = (float)_l.Levels[q];
                    float d = y - _values[o];
                    loss += d >= 0 ? tau * d : (tau - 1) * d;
                    _gradValues[o] = (d > 0 ? -tau : 1 - tau) * gradScale;
                }
            }
        }

        QuantileHead.Backward(_raw, _gradValues, _gradRaw, _scratch, _l.LevelCount, _l.Median);
        int outputs = _l.Outputs;
        Span<float> headBias = grad.Slice(_l.HeadBiasOffset, outputs);
        TensorPrimitives.Add(headBias, _gradRaw, headBias);
        for (int k = 0; k < h.Length; k++)
        {
            Span<float> row = grad.Slice(_l.HeadOffset + (k * outputs), outputs);
            TensorPrimitives.MultiplyAdd(_gradRaw, h[k], row, row);
            dh[k] = TensorPrimitives.Dot(p.Slice(_l.HeadOffset + (k * outputs), outputs), _gradRaw);
        }

        return loss;
    }

    private void Backward(ReadOnlySpan<float> p, Span<float> grad, int steps)
    {
        int hidden = _l.Hidden, gates = _l.Gates;
        Array.Clear(_dh);
        Array.Clear(_dc);
        for (int t = steps - 1; t >= 0; t--)
        {
            TensorPrimitives.Add(_dh, _dhHead.AsSpan(t * hidden, hidden), _dh);
            GateGradients(t);
            Span<float> bias = grad.Slice(_l.BiasOffset, gates);
            TensorPrimitives.Add(bias, _dz, bias);
            ReadOnlySpan<float> xh = _xh.AsSpan(t * _l.Inputs, _l.Inputs);
            for (int k = 0; k < xh.Length; k++)
            {
                Span<float> row = grad.Slice(k * gates, gates);
                TensorPrimitives.MultiplyAdd(_dz, xh[k], row, row);
            }

            for (int j = 0; j < hidden; j++)
            {
                _dh[j] = TensorPrimitives.Dot(p.Slice((LstmLayout.Features + j) * gates, gates), _dz);
            }
        }
    }

    /// <summary>From d h_{t+1} (<c>_dh</c>) and d c_{t+1} (<c>_dc</c>) to the pre-activation gradient <c>_dz</c>; leaves d c_t in <c>_dc</c>.</summary>
    private void GateGradients(int t)
    {
        int hidden = _l.Hidden;
        ReadOnlySpan<float> a = _act.AsSpan(t * _l.Gates, _l.Gates);
        ReadOnlySpan<float> tanhC = _tanhC.AsSpan(t * hidden, hidden);
        ReadOnlySpan<float> cPrev = _c.AsSpan(t * hidden, hidden);
        for (int j = 0; j < hidden; j++)
        {
            float i = a[j], f = a[hidden + j], o = a[(2 * hidden) + j], g = a[(3 * hidden) + j];
            float tc = tanhC[j];
            float dc = _dc[j] + (_dh[j] * o * (1 - (tc * tc)));
            _dz[j] = dc * g * i * (1 - i);
            _dz[hidden + j] = dc * cPrev[j] * f * (1 - f);
            _dz[(2 * hidden) + j] = _dh[j] * tc * o * (1 - o);
            _dz[(3 * hidden) + j] = dc * i * (1 - (g * g));
            _dc[j] = dc * f;
        }
    }
}

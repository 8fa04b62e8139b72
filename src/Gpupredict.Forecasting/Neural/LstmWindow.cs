using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One truncated-BPTT window: runs the network over <c>steps</c> consecutive steps of a scaled
/// series from a zero state, scores the quantiles of every step after the burn-in against the next
/// Horizon steps with the pinball loss (mean over steps, horizons, levels and resources), and, unless the gradient vector is empty, adds
/// <c>weight</c> × its exact gradient to it. Buffers are reused across calls.
/// </summary>
internal sealed class LstmWindow : ITruncatedWindow
{
    private readonly LstmLayout _l;
    private readonly float[] _xh, _act, _c, _tanhC, _h, _dhHead;
    private readonly RecurrentHead _head;
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
        _head = new RecurrentHead(layout.Horizon, layout.Levels, layout.Median, layout.HeadOffset, layout.HeadBiasOffset);
        _dz = new float[layout.Gates];
        _dh = new float[hidden];
        _dc = new float[hidden];
        MaxSteps = maxSteps;
    }

    /// <summary>The longest window the buffers hold.</summary>
    public int MaxSteps { get; }

    /// <inheritdoc />
    public double Run(ReadOnlySpan<float> p, Span<float> grad, ScaledSeries series, int start, int steps, int burnIn, float weight)
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

            loss += _head.Train(p, grad, series, start + t, _h.AsSpan((t + 1) * hidden, hidden), dhHead, gradScale);
        }

        if (!grad.IsEmpty)
        {
            Backward(p, grad, steps);
        }

        return loss / ((steps - burnIn) * _l.Outputs);
    }

    private void ForwardStep(ReadOnlySpan<float> p, ScaledSeries series, int start, int t)
    {
        int hidden = _l.Hidden;
        Span<float> xh = _xh.AsSpan(t * _l.Inputs, _l.Inputs);
        series.Features.AsSpan((start + t) * StepFeatures.Count, StepFeatures.Count).CopyTo(xh);
        _h.AsSpan(t * hidden, hidden).CopyTo(xh[StepFeatures.Count..]);
        Span<float> gates = _act.AsSpan(t * _l.Gates, _l.Gates);
        LstmCell.PreActivations(_l, p, xh, gates);
        LstmCell.Activate(gates, hidden);
        Span<float> c = _c.AsSpan((t + 1) * hidden, hidden);
        _c.AsSpan(t * hidden, hidden).CopyTo(c);
        LstmCell.Update(gates, c, _tanhC.AsSpan(t * hidden, hidden), _h.AsSpan((t + 1) * hidden, hidden));
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
                _dh[j] = TensorPrimitives.Dot(p.Slice((StepFeatures.Count + j) * gates, gates), _dz);
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

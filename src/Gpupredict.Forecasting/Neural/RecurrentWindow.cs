using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One truncated-BPTT window of a GRU or Elman network (<see cref="IRecurrentCell"/>): runs
/// <c>steps</c> consecutive steps of a scaled series from a zero state, scores every step after
/// the burn-in with the pinball loss (mean over steps, horizons, levels and resources), and, unless the gradient vector is empty, adds
/// <c>weight</c> × its exact gradient to it. Buffers are reused across calls.
/// </summary>
internal sealed class RecurrentWindow : ITruncatedWindow
{
    private readonly RecurrentLayout _l;
    private readonly IRecurrentCell _cell;
    private readonly RecurrentHead _head;
    private readonly float[] _x, _h, _zx, _zh, _cache, _dhHead;
    private readonly float[] _dzx, _dzh, _dh, _dhDirect;

    public RecurrentWindow(RecurrentLayout layout, IRecurrentCell cell, int maxSteps)
    {
        _l = layout;
        _cell = cell;
        _head = new RecurrentHead(layout);
        int hidden = layout.Hidden;
        _x = new float[maxSteps * StepFeatures.Count];
        _h = new float[(maxSteps + 1) * hidden];
        _zx = new float[layout.Gates];
        _zh = new float[layout.Gates];
        _cache = new float[maxSteps * cell.CacheUnits * hidden];
        _dhHead = new float[maxSteps * hidden];
        _dzx = new float[layout.Gates];
        _dzh = new float[layout.Gates];
        _dh = new float[hidden];
        _dhDirect = new float[hidden];
    }

    /// <inheritdoc />
    public double Run(ReadOnlySpan<float> p, Span<float> grad, ScaledSeries series, int start, int steps, int burnIn, float weight)
    {
        int hidden = _l.Hidden;
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
        int hidden = _l.Hidden, features = StepFeatures.Count;
        Span<float> x = _x.AsSpan(t * features, features);
        series.Features.AsSpan((start + t) * features, features).CopyTo(x);
        ReadOnlySpan<float> h = _h.AsSpan(t * hidden, hidden);
        Product(p, _l.BiasOffset, 0, x, _zx);
        Product(p, _l.RecurrentBiasOffset, _l.RecurrentOffset, h, _zh);
        int cacheSize = _cell.CacheUnits * hidden;
        _cell.Forward(_zx, _zh, h, _cache.AsSpan(t * cacheSize, cacheSize), _h.AsSpan((t + 1) * hidden, hidden));
    }

    /// <summary><c>z = p[bias..] + Σₖ vₖ·p[rows + k·G ..]</c>, in axpy form.</summary>
    private void Product(ReadOnlySpan<float> p, int bias, int rows, ReadOnlySpan<float> v, Span<float> z)
    {
        int gates = _l.Gates;
        p.Slice(bias, gates).CopyTo(z);
        for (int k = 0; k < v.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(rows + (k * gates), gates), v[k], z, z);
        }
    }

    private void Backward(ReadOnlySpan<float> p, Span<float> grad, int steps)
    {
        int hidden = _l.Hidden, gates = _l.Gates, features = StepFeatures.Count;
        int cacheSize = _cell.CacheUnits * hidden;
        Array.Clear(_dh);
        for (int t = steps - 1; t >= 0; t--)
        {
            TensorPrimitives.Add(_dh, _dhHead.AsSpan(t * hidden, hidden), _dh);
            ReadOnlySpan<float> h = _h.AsSpan(t * hidden, hidden);
            _cell.Backward(_dh, _cache.AsSpan(t * cacheSize, cacheSize), h, _dzx, _dzh, _dhDirect);
            Accumulate(grad, _l.BiasOffset, 0, _x.AsSpan(t * features, features), _dzx);
            Accumulate(grad, _l.RecurrentBiasOffset, _l.RecurrentOffset, h, _dzh);
            for (int j = 0; j < hidden; j++)
            {
                _dh[j] = _dhDirect[j] + TensorPrimitives.Dot(p.Slice(_l.RecurrentOffset + (j * gates), gates), _dzh);
            }
        }
    }

    /// <summary>The gradient of <see cref="Product"/>: bias += dz, row k += vₖ·dz.</summary>
    private void Accumulate(Span<float> grad, int bias, int rows, ReadOnlySpan<float> v, ReadOnlySpan<float> dz)
    {
        int gates = _l.Gates;
        Span<float> b = grad.Slice(bias, gates);
        TensorPrimitives.Add(b, dz, b);
        for (int k = 0; k < v.Length; k++)
        {
            Span<float> row = grad.Slice(rows + (k * gates), gates);
            TensorPrimitives.MultiplyAdd(dz, v[k], row, row);
        }
    }
}

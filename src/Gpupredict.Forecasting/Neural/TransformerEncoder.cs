using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// One Transformer encoder block over a window of W steps, and its exact backward pass. Each step's
/// features are projected to width d and given a learned positional embedding; single-head
/// self-attention, a residual and layer norm, a GELU feed-forward, a residual and layer norm follow
/// (post-norm). Only the last position's output feeds the quantile head and there is one block, so
/// only that position's query, attention row and feed-forward are computed: the other positions'
/// outputs could not change the answer. Keys and values are computed for every position.
/// Buffers are reused across calls; <see cref="Backward"/> differentiates the latest <see cref="Forward"/>.
/// </summary>
internal sealed class TransformerEncoder
{
    private readonly TransformerLayout _l;
    private readonly float _scale;
    private readonly float[] _x, _e, _k, _v, _a, _q, _c, _o, _r1, _n1, _u, _pre, _f, _z, _r2, _n2, _y;
    private readonly float[] _de, _da, _dq, _dkv, _dc, _dr1, _du, _df, _dr2, _scratch;
    private float _sigma1, _sigma2;

    public TransformerEncoder(TransformerLayout layout)
    {
        _l = layout;
        int d = layout.Model, w = layout.Window, m = layout.FeedForward;
        _scale = 1f / MathF.Sqrt(d);
        _x = new float[w * StepFeatures.Count];
        (_e, _k, _v, _de) = (new float[w * d], new float[w * d], new float[w * d], new float[w * d]);
        (_a, _da) = (new float[w], new float[w]);
        (_q, _c, _o, _r1, _n1, _u, _z, _r2, _n2, _y) = (new float[d], new float[d], new float[d], new float[d], new float[d], new float[d], new float[d], new float[d], new float[d], new float[d]);
        (_dq, _dkv, _dc, _dr1, _du, _dr2, _scratch) = (new float[d], new float[d], new float[d], new float[d], new float[d], new float[d], new float[d]);
        (_pre, _f, _df) = (new float[m], new float[m], new float[m]);
    }

    /// <summary>The window's features, W × <see cref="StepFeatures.Count"/>, oldest first; the caller fills it before <see cref="Forward"/>.</summary>
    public Span<float> Input => _x;

    /// <summary>The last position's output (d floats) after <see cref="Forward"/>.</summary>
    public ReadOnlySpan<float> Output => _y;

    /// <summary>Runs the block over <see cref="Input"/>; the result is <see cref="Output"/>.</summary>
    public void Forward(ReadOnlySpan<float> p)
    {
        TransformerLayout l = _l;
        int d = l.Model, w = l.Window, features = StepFeatures.Count;
        for (int t = 0; t < w; t++)
        {
            Span<float> e = _e.AsSpan(t * d, d);
            TransformerMath.Affine(p, l.InputWeights, l.InputBias, _x.AsSpan(t * features, features), e);
            TensorPrimitives.Add(e, p.Slice(l.Position + (t * d), d), e);
            TransformerMath.Affine(p, l.Key, l.KeyBias, e, _k.AsSpan(t * d, d));
            TransformerMath.Affine(p, l.Value, l.ValueBias, e, _v.AsSpan(t * d, d));
        }

        ReadOnlySpan<float> last = _e.AsSpan((w - 1) * d, d);
        TransformerMath.Affine(p, l.Query, l.QueryBias, last, _q);
        for (int t = 0; t < w; t++)
        {
            _a[t] = TensorPrimitives.Dot(_q, _k.AsSpan(t * d, d)) * _scale;
        }

        // Shift by the largest score first: softmax is shift-invariant, and unshifted scores from
        // far-out inputs (an idle application's zero VRAM after gigabytes in training) overflow exp.
        TensorPrimitives.Subtract(_a, TensorPrimitives.Max(_a), _a);
        TensorPrimitives.SoftMax(_a, _a);
        Array.Clear(_c);
        for (int t = 0; t < w; t++)
        {
            TensorPrimitives.MultiplyAdd(_v.AsSpan(t * d, d), _a[t], _c, _c);
        }

        TransformerMath.Affine(p, l.Out, l.OutBias, _c, _o);
        TensorPrimitives.Add(last, _o, _r1);
        _sigma1 = TransformerMath.LayerNorm(p, l.Gain1, l.Shift1, _r1, _n1, _u);
        TransformerMath.Affine(p, l.Hidden, l.HiddenBias, _u, _pre);
        TransformerMath.Gelu(_pre, _f);
        TransformerMath.Affine(p, l.Back, l.BackBias, _f, _z);
        TensorPrimitives.Add(_u, _z, _r2);
        _sigma2 = TransformerMath.LayerNorm(p, l.Gain2, l.Shift2, _r2, _n2, _y);
    }

    /// <summary>Adds d loss / d parameters to <paramref name="grad"/> given d loss / d <see cref="Output"/>.</summary>
    public void Backward(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> dy)
    {
        TransformerLayout l = _l;
        int d = l.Model, w = l.Window;

        // Second residual and norm: r2 = u + FFN(u).
        TransformerMath.LayerNormBackward(p, grad, l.Gain2, l.Shift2, _n2, _sigma2, dy, _scratch, _dr2);
        _dr2.CopyTo(_du);
        Array.Clear(_df);
        TransformerMath.AffineBackward(p, grad, l.Back, l.BackBias, _f, _dr2, _df);
        TransformerMath.GeluBackward(_pre, _df);
        TransformerMath.AffineBackward(p, grad, l.Hidden, l.HiddenBias, _u, _df, _du);

        // First residual and norm: r1 = e_last + attention.
        TransformerMath.LayerNormBackward(p, grad, l.Gain1, l.Shift1, _n1, _sigma1, _du, _scratch, _dr1);
        Array.Clear(_de);
        Span<float> deLast = _de.AsSpan((w - 1) * d, d);
        _dr1.CopyTo(deLast);
        Array.Clear(_dc);
        TransformerMath.AffineBackward(p, grad, l.Out, l.OutBias, _c, _dr1, _dc);

        // Softmax: ds_t = a_t (da_t − Σ a·da), then through the 1/√d scaled scores.
        for (int t = 0; t < w; t++)
        {
            _da[t] = TensorPrimitives.Dot(_v.AsSpan(t * d, d), _dc);
        }

        float mean = TensorPrimitives.Dot(_a, _da);
        Array.Clear(_dq);
        for (int t = 0; t < w; t++)
        {
            float ds = _a[t] * (_da[t] - mean) * _scale;
            ReadOnlySpan<float> e = _e.AsSpan(t * d, d);
            Span<float> de = _de.AsSpan(t * d, d);
            TensorPrimitives.MultiplyAdd(_k.AsSpan(t * d, d), ds, _dq, _dq);
            TensorPrimitives.Multiply(_q, ds, _dkv);
            TransformerMath.AffineBackward(p, grad, l.Key, l.KeyBias, e, _dkv, de);
            TensorPrimitives.Multiply(_dc, _a[t], _dkv);
            TransformerMath.AffineBackward(p, grad, l.Value, l.ValueBias, e, _dkv, de);
        }

        TransformerMath.AffineBackward(p, grad, l.Query, l.QueryBias, _e.AsSpan((w - 1) * d, d), _dq, deLast);

        // Embedding: e_t = Win·x_t + bin + Pos_t.
        int features = StepFeatures.Count;
        for (int t = 0; t < w; t++)
        {
            ReadOnlySpan<float> de = _de.AsSpan(t * d, d);
            Span<float> position = grad.Slice(l.Position + (t * d), d);
            TensorPrimitives.Add(position, de, position);
            TransformerMath.AffineBackward(p, grad, l.InputWeights, l.InputBias, _x.AsSpan(t * features, features), de, []);
        }
    }
}

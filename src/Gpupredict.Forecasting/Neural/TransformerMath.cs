using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The Transformer block's primitives and their exact gradients: affine maps over row-stored
/// weights (in axpy form, like the recurrent windows), layer normalisation and GELU.
/// </summary>
internal static class TransformerMath
{
    /// <summary>Added to the variance in layer normalisation.</summary>
    public const float NormEpsilon = 1e-5f;

    private static readonly float GeluScale = MathF.Sqrt(2f / MathF.PI);
    private const float GeluCubic = 0.044715f;

    /// <summary><c>z = p[bias..] + Σₖ vₖ·p[rows + k·|z| ..]</c>.</summary>
    public static void Affine(ReadOnlySpan<float> p, int rows, int bias, ReadOnlySpan<float> v, Span<float> z)
    {
        int n = z.Length;
        p.Slice(bias, n).CopyTo(z);
        for (int k = 0; k < v.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(rows + (k * n), n), v[k], z, z);
        }
    }

    /// <summary>
    /// The gradient of <see cref="Affine"/>: bias += dz, row k += vₖ·dz and, unless
    /// <paramref name="dv"/> is empty, dvₖ += row k · dz.
    /// </summary>
    public static void AffineBackward(ReadOnlySpan<float> p, Span<float> grad, int rows, int bias, ReadOnlySpan<float> v, ReadOnlySpan<float> dz, Span<float> dv)
    {
        int n = dz.Length;
        Span<float> b = grad.Slice(bias, n);
        TensorPrimitives.Add(b, dz, b);
        for (int k = 0; k < v.Length; k++)
        {
            Span<float> row = grad.Slice(rows + (k * n), n);
            TensorPrimitives.MultiplyAdd(dz, v[k], row, row);
            if (!dv.IsEmpty)
            {
                dv[k] += TensorPrimitives.Dot(p.Slice(rows + (k * n), n), dz);
            }
        }
    }

    /// <summary>
    /// <c>y = γ ⊙ n + β</c> with <c>n = (x − mean) / σ</c>, σ = √(variance + ε); keeps n in
    /// <paramref name="normed"/> and returns σ for <see cref="LayerNormBackward"/>.
    /// </summary>
    public static float LayerNorm(ReadOnlySpan<float> p, int gain, int shift, ReadOnlySpan<float> x, Span<float> normed, Span<float> y)
    {
        int n = x.Length;
        float mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, normed);
        float sigma = MathF.Sqrt((TensorPrimitives.SumOfSquares(normed) / n) + NormEpsilon);
        TensorPrimitives.Divide(normed, sigma, normed);
        TensorPrimitives.MultiplyAdd(normed, p.Slice(gain, n), p.Slice(shift, n), y);
        return sigma;
    }

    /// <summary>
    /// From dy to dx (<paramref name="dx"/>, overwritten): γ and β gradients accumulate, and
    /// dx = (ĝ − mean(ĝ) − n·mean(ĝ ⊙ n)) / σ with ĝ = γ ⊙ dy. <paramref name="scratch"/> holds ĝ.
    /// </summary>
    public static void LayerNormBackward(ReadOnlySpan<float> p, Span<float> grad, int gain, int shift, ReadOnlySpan<float> normed, float sigma, ReadOnlySpan<float> dy, Span<float> scratch, Span<float> dx)
    {
        int n = dy.Length;
        Span<float> dGain = grad.Slice(gain, n);
        TensorPrimitives.MultiplyAdd(dy, normed, dGain, dGain);
        Span<float> dShift = grad.Slice(shift, n);
        TensorPrimitives.Add(dShift, dy, dShift);
        TensorPrimitives.Multiply(dy, p.Slice(gain, n), scratch);
        float meanG = TensorPrimitives.Sum(scratch) / n;
        float meanGn = TensorPrimitives.Dot(scratch, normed) / n;
        for (int i = 0; i < n; i++)
        {
            dx[i] = (scratch[i] - meanG - (normed[i] * meanGn)) / sigma;
        }
    }

    /// <summary>GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Smooth, so finite differences check it cleanly.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1 + MathF.Tanh(GeluScale * (v + (GeluCubic * v * v * v))));
        }
    }

    /// <summary>dx = dy ⊙ GELU'(x), in place over <paramref name="dy"/>.</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, Span<float> dy)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            float t = MathF.Tanh(GeluScale * (v + (GeluCubic * v * v * v)));
            float derivative = (0.5f * (1 + t)) + (0.5f * v * (1 - (t * t)) * GeluScale * (1 + (3 * GeluCubic * v * v)));
            dy[i] *= derivative;
        }
    }
}

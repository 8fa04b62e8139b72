using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>Adam (Kingma and Ba, 2015) with bias correction, preceded by clipping of the gradient's global L2 norm.</summary>
internal sealed class AdamOptimizer
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    private readonly float[] _m, _v;
    private int _t;

    public AdamOptimizer(int count)
    {
        _m = new float[count];
        _v = new float[count];
    }

    /// <summary>
    /// Clips <paramref name="grad"/> to <paramref name="clipNorm"/> in place, then moves <paramref name="p"/>
    /// one step against it. A gradient with a NaN or infinity is skipped whole (returns false): one bad
    /// batch must not poison every weight.
    /// </summary>
    public bool Step(Span<float> p, Span<float> grad, float learningRate, float clipNorm)
    {
        float norm = TensorPrimitives.Norm(grad);
        if (!float.IsFinite(norm))
        {
            return false;
        }

        if (norm > clipNorm)
        {
            TensorPrimitives.Multiply(grad, clipNorm / norm, grad);
        }

        _t++;
        float c1 = 1 - MathF.Pow(Beta1, _t), c2 = 1 - MathF.Pow(Beta2, _t);
        float stepSize = learningRate * MathF.Sqrt(c2) / c1;
        for (int i = 0; i < p.Length; i++)
        {
            float g = grad[i];
            _m[i] = (Beta1 * _m[i]) + ((1 - Beta1) * g);
            _v[i] = (Beta2 * _v[i]) + ((1 - Beta2) * g * g);
            p[i] -= stepSize * _m[i] / (MathF.Sqrt(_v[i]) + Epsilon);
        }

        return true;
    }
}

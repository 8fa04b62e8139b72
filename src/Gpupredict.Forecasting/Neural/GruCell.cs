using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The GRU cell (Cho et al., 2014, with the reset applied after the recurrent product as in cuDNN):
/// blocks r, u, n of each half; <c>r = σ(zx_r + zh_r)</c>, <c>u = σ(zx_u + zh_u)</c>,
/// <c>n = tanh(zx_n + r∘zh_n)</c>, <c>h' = (1 − u)∘n + u∘h</c>. Cache: r, u, n, zh_n.
/// </summary>
internal sealed class GruCell : IRecurrentCell
{
    public static readonly GruCell Instance = new();

    private GruCell()
    {
    }

    public int GatesPerUnit => 3;

    public int CacheUnits => 4;

    public void Forward(ReadOnlySpan<float> zx, ReadOnlySpan<float> zh, ReadOnlySpan<float> h, Span<float> cache, Span<float> next)
    {
        int n = h.Length;
        Span<float> gates = cache[..(2 * n)];
        TensorPrimitives.Add(zx[..(2 * n)], zh[..(2 * n)], gates);
        TensorPrimitives.Sigmoid(gates, gates);
        Span<float> candidate = cache.Slice(2 * n, n);
        zh.Slice(2 * n, n).CopyTo(cache.Slice(3 * n, n));
        TensorPrimitives.MultiplyAdd(gates[..n], zh.Slice(2 * n, n), zx.Slice(2 * n, n), candidate);
        TensorPrimitives.Tanh(candidate, candidate);

        // h' = n + u∘(h − n)
        TensorPrimitives.Subtract(h, candidate, next);
        TensorPrimitives.MultiplyAdd(gates.Slice(n, n), next, candidate, next);
    }

    public void Backward(ReadOnlySpan<float> dNext, ReadOnlySpan<float> cache, ReadOnlySpan<float> h, Span<float> dzx, Span<float> dzh, Span<float> dh)
    {
        int n = h.Length;
        for (int j = 0; j < n; j++)
        {
            float r = cache[j], u = cache[n + j], c = cache[(2 * n) + j], hn = cache[(3 * n) + j];
            float d = dNext[j];
            float dc = d * (1 - u) * (1 - (c * c));
            float du = d * (h[j] - c) * u * (1 - u);
            float dr = dc * hn * r * (1 - r);
            dzx[j] = dr;
            dzh[j] = dr;
            dzx[n + j] = du;
            dzh[n + j] = du;
            dzx[(2 * n) + j] = dc;
            dzh[(2 * n) + j] = dc * r;
            dh[j] = d * u;
        }
    }
}

using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>The Elman cell: <c>h' = tanh(zx + zh)</c>.</summary>
internal sealed class RnnCell : IRecurrentCell
{
    public static readonly RnnCell Instance = new();

    private RnnCell()
    {
    }

    public int GatesPerUnit => 1;

    public int CacheUnits => 1;

    public void Forward(ReadOnlySpan<float> zx, ReadOnlySpan<float> zh, ReadOnlySpan<float> h, Span<float> cache, Span<float> next)
    {
        TensorPrimitives.Add(zx, zh, next);
        TensorPrimitives.Tanh(next, next);
        next.CopyTo(cache);
    }

    public void Backward(ReadOnlySpan<float> dNext, ReadOnlySpan<float> cache, ReadOnlySpan<float> h, Span<float> dzx, Span<float> dzh, Span<float> dh)
    {
        for (int j = 0; j < dNext.Length; j++)
        {
            float y = cache[j];
            dzx[j] = dNext[j] * (1 - (y * y));
        }

        dzx.CopyTo(dzh);
        dh.Clear();
    }
}

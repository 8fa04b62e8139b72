namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The element-wise part of a recurrent cell whose pre-activations come in two halves:
/// <c>zx = bx + x·Wx</c> and <c>zh = bh + h·Wh</c> (each G = <see cref="GatesPerUnit"/> × H long).
/// Stateless; the matrix products, head and training loop are shared (<see cref="RecurrentWindow"/>,
/// <see cref="RecurrentInference"/>).
/// </summary>
internal interface IRecurrentCell
{
    /// <summary>Pre-activations per hidden unit in each half.</summary>
    int GatesPerUnit { get; }

    /// <summary>Floats per hidden unit that <see cref="Forward"/> keeps for <see cref="Backward"/>.</summary>
    int CacheUnits { get; }

    /// <summary>h' from the pre-activations and h; <paramref name="cache"/> (CacheUnits × H) receives what the backward pass needs.</summary>
    void Forward(ReadOnlySpan<float> zx, ReadOnlySpan<float> zh, ReadOnlySpan<float> h, Span<float> cache, Span<float> next);

    /// <summary>
    /// From d loss / d h' (<paramref name="dNext"/>) to d loss / d zx and d zh (overwritten) and the
    /// part of d loss / d h that does not pass through Wh (<paramref name="dh"/>, overwritten).
    /// </summary>
    void Backward(ReadOnlySpan<float> dNext, ReadOnlySpan<float> cache, ReadOnlySpan<float> h, Span<float> dzx, Span<float> dzh, Span<float> dh);
}

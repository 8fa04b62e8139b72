using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Turns raw head outputs into quantiles that cannot cross: in each group of <c>levels</c> outputs
/// the median level is the raw value, each level above adds <c>softplus(raw)</c> ≥ 0 to the one
/// below it, and each level below subtracts <c>softplus(raw)</c> from the one above it.
/// </summary>
internal static class QuantileHead
{
    /// <summary>Writes the quantiles of every group of <paramref name="raw"/> into <paramref name="values"/>; <paramref name="scratch"/> is as long as <paramref name="raw"/>.</summary>
    public static void Forward(ReadOnlySpan<float> raw, Span<float> values, Span<float> scratch, int levels, int median)
    {
        Softplus(raw, values, scratch);
        for (int g = 0; g < raw.Length; g += levels)
        {
            Span<float> v = values.Slice(g, levels);
            v[median] = raw[g + median];
            for (int q = median + 1; q < levels; q++)
            {
                v[q] = v[q - 1] + v[q];
            }

            for (int q = median - 1; q >= 0; q--)
            {
                v[q] = v[q + 1] - v[q];
            }
        }
    }

    /// <summary>
    /// Back-propagates: from d loss / d value (<paramref name="gradValues"/>) to d loss / d raw
    /// (<paramref name="gradRaw"/>, overwritten); <paramref name="scratch"/> is as long as <paramref name="raw"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> raw, ReadOnlySpan<float> gradValues, Span<float> gradRaw, Span<float> scratch, int levels, int median)
    {
        // softplus'(z) = sigmoid(z)
        TensorPrimitives.Sigmoid(raw, scratch);
        for (int g = 0; g < raw.Length; g += levels)
        {
            float up = 0, down = 0;
            for (int q = levels - 1; q > median; q--)
            {
                up += gradValues[g + q];
                gradRaw[g + q] = up * scratch[g + q];
            }

            for (int q = 0; q < median; q++)
            {
                down += gradValues[g + q];
                gradRaw[g + q] = -down * scratch[g + q];
            }

            gradRaw[g + median] = gradValues[g + median] + up + down;
        }
    }

    /// <summary>softplus(z) = max(z, 0) + log(1 + e^−|z|), stable for any z.</summary>
    private static void Softplus(ReadOnlySpan<float> z, Span<float> destination, Span<float> scratch)
    {
        TensorPrimitives.Abs(z, scratch);
        TensorPrimitives.Negate(scratch, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        TensorPrimitives.Add(scratch, 1f, scratch);
        TensorPrimitives.Log(scratch, scratch);
        TensorPrimitives.Max(z, 0f, destination);
        TensorPrimitives.Add(destination, scratch, destination);
    }
}

using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The LSTM cell's arithmetic for one sequence, shared by training and streaming inference:
/// <c>z = b + Σₖ xhₖ·Wtₖ</c>, gates i, f, o = σ(z), g = tanh(z), <c>c' = f∘c + i∘g</c>, <c>h' = o∘tanh(c')</c>.
/// </summary>
internal static class LstmCell
{
    /// <summary>Pre-activations of every gate for one [x; h] vector, as a sum of rows of Wt (axpy form).</summary>
    public static void PreActivations(LstmLayout layout, ReadOnlySpan<float> p, ReadOnlySpan<float> xh, Span<float> z)
    {
        int gates = layout.Gates;
        p.Slice(layout.BiasOffset, gates).CopyTo(z);
        for (int k = 0; k < xh.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(k * gates, gates), xh[k], z, z);
        }
    }

    /// <summary>Applies σ to the i, f, o blocks and tanh to the g block, in place.</summary>
    public static void Activate(Span<float> z, int hidden)
    {
        Span<float> sigmoid = z[..(3 * hidden)];
        TensorPrimitives.Sigmoid(sigmoid, sigmoid);
        Span<float> g = z[(3 * hidden)..];
        TensorPrimitives.Tanh(g, g);
    }

    /// <summary>Advances the cell: <paramref name="c"/> in place to c', <paramref name="tanhC"/> = tanh(c'), <paramref name="h"/> = o∘tanh(c').</summary>
    public static void Update(ReadOnlySpan<float> gates, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = c.Length;
        TensorPrimitives.Multiply(gates.Slice(n, n), c, c);
        TensorPrimitives.MultiplyAdd(gates[..n], gates.Slice(3 * n, n), c, c);
        TensorPrimitives.Tanh(c, tanhC);
        TensorPrimitives.Multiply(gates.Slice(2 * n, n), tanhC, h);
    }
}

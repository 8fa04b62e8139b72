using System.Numerics;
using System.Runtime.InteropServices;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// <c>output[s, :] = bias + Σₖ input[s, k] · w[k, :]</c> for up to 8 rows s at once: a register-blocked
/// kernel (8 accumulators per vector of columns, each weight load reused 8 times). Every row's sum runs
/// in the same order (k ascending, fused multiply-add) whichever path or block size handles it, so a
/// row's result does not depend on which other rows share its block.
/// </summary>
internal static class BlockedGemm
{
    /// <summary>Computes <paramref name="count"/> (≤ 8) rows; <paramref name="input"/> is count × inner, <paramref name="w"/> inner × cols, <paramref name="output"/> count × cols.</summary>
    public static void Multiply(ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> output, int count)
    {
        int cols = bias.Length;
        int width = Vector<float>.Count;
        int j = 0;
        for (; j + width <= cols; j += width)
        {
            if (count == 8)
            {
                Eight(input, inner, w, bias, output, j);
            }
            else
            {
                for (int s = 0; s < count; s++)
                {
                    One(input.Slice(s * inner, inner), w, bias, output.Slice(s * cols, cols), j);
                }
            }
        }

        for (; j < cols; j++)
        {
            for (int s = 0; s < count; s++)
            {
                float acc = bias[j];
                for (int k = 0; k < inner; k++)
                {
                    acc = MathF.FusedMultiplyAdd(input[(s * inner) + k], w[(k * cols) + j], acc);
                }

                output[(s * cols) + j] = acc;
            }
        }
    }

    private static void One(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> output, int j)
    {
        int cols = bias.Length;
        var acc = new Vector<float>(bias[j..]);
        for (int k = 0; k < x.Length; k++)
        {
            acc = Vector.FusedMultiplyAdd(new Vector<float>(x[k]), new Vector<float>(w.Slice((k * cols) + j)), acc);
        }

        acc.CopyTo(output[j..]);
    }

    private static void Eight(ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> output, int j)
    {
        int cols = bias.Length;
        var b = new Vector<float>(bias[j..]);
        Vector<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        ref float x = ref MemoryMarshal.GetReference(input);
        for (int k = 0; k < inner; k++)
        {
            var wk = new Vector<float>(w.Slice((k * cols) + j, Vector<float>.Count));
            a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, k)), wk, a0);
            a1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, inner + k)), wk, a1);
            a2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (2 * inner) + k)), wk, a2);
            a3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (3 * inner) + k)), wk, a3);
            a4 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (4 * inner) + k)), wk, a4);
            a5 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (5 * inner) + k)), wk, a5);
            a6 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (6 * inner) + k)), wk, a6);
            a7 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe(ref x, (7 * inner) + k)), wk, a7);
        }

        a0.CopyTo(output[j..]);
        a1.CopyTo(output[(cols + j)..]);
        a2.CopyTo(output[((2 * cols) + j)..]);
        a3.CopyTo(output[((3 * cols) + j)..]);
        a4.CopyTo(output[((4 * cols) + j)..]);
        a5.CopyTo(output[((5 * cols) + j)..]);
        a6.CopyTo(output[((6 * cols) + j)..]);
        a7.CopyTo(output[((7 * cols) + j)..]);
    }

    /// <summary>input[i] without a bounds check; callers pass i &lt; 8 × inner ≤ input.Length.</summary>
    private static float Unsafe(ref float x, int i) => System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
}

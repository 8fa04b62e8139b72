using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// <c>output[s, :] = bias + Σₖ input[s, k] · w[k, :]</c> for exactly 8 rows s at once: a register-blocked
/// kernel (8 or 16 accumulators per column chunk, each weight load reused 8 times), 512-bit where the
/// hardware has it, else 256-bit, else scalar. Every output's sum runs in the same order (k ascending,
/// fused multiply-add from the bias) whichever path or column chunk handles it, so a row's result does
/// not depend on which other rows share its block nor on the vector width. A trailing partial chunk is
/// handled by recomputing an overlapping full chunk (same values, written twice).
/// </summary>
internal static class BlockedGemm
{
    /// <summary>Rows per call.</summary>
    public const int Rows = 8;

    /// <summary>
    /// Computes <paramref name="count"/> (≤ 8) rows; <paramref name="input"/> is count × inner,
    /// <paramref name="w"/> inner × cols (cols = bias.Length), <paramref name="output"/> count × cols.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> output, int count)
    {
        int cols = bias.Length;
        if (count == Rows)
        {
            Multiply(input, inner, w, cols, bias, output);
            return;
        }

        if ((uint)count > Rows || input.Length < count * inner || output.Length < count * cols || w.Length < inner * cols)
        {
            throw new ArgumentException("matrix shapes do not match");
        }

        for (int s = 0; s < count; s++)
        {
            One(ref MemoryMarshal.GetReference(input.Slice(s * inner, inner)), inner, ref MemoryMarshal.GetReference(w), cols, ref MemoryMarshal.GetReference(bias), ref MemoryMarshal.GetReference(output.Slice(s * cols, cols)), cols);
        }
    }

    /// <summary>
    /// Computes 8 rows; <paramref name="input"/> is 8 × inner, <paramref name="w"/> inner rows of stride
    /// <paramref name="ldw"/> (only the first bias.Length columns are used), <paramref name="output"/> 8 × bias.Length.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> w, int ldw, ReadOnlySpan<float> bias, Span<float> output)
    {
        int cols = bias.Length;
        if (input.Length < Rows * inner || output.Length < Rows * cols || cols > ldw || (inner > 0 && w.Length < ((inner - 1) * ldw) + cols))
        {
            throw new ArgumentException("matrix shapes do not match");
        }

        ref float x = ref MemoryMarshal.GetReference(input);
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float o = ref MemoryMarshal.GetReference(output);
        int j = 0;
        if (Vector512.IsHardwareAccelerated && cols >= 16)
        {
            for (; j + 32 <= cols; j += 32)
            {
                Eight512x2(ref x, inner, ref wr, ldw, ref b, ref o, cols, j);
            }

            for (; j + 16 <= cols; j += 16)
            {
                Eight512(ref x, inner, ref wr, ldw, ref b, ref o, cols, j);
            }

            if (j < cols)
            {
                Eight512(ref x, inner, ref wr, ldw, ref b, ref o, cols, cols - 16);
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated && cols >= 8)
        {
            for (; j + 8 <= cols; j += 8)
            {
                Eight256(ref x, inner, ref wr, ldw, ref b, ref o, cols, j);
            }

            if (j < cols)
            {
                Eight256(ref x, inner, ref wr, ldw, ref b, ref o, cols, cols - 8);
            }

            return;
        }

        for (; j < cols; j++)
        {
            for (int s = 0; s < Rows; s++)
            {
                float acc = Unsafe.Add(ref b, j);
                for (int k = 0; k < inner; k++)
                {
                    acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, (s * inner) + k), Unsafe.Add(ref wr, (k * ldw) + j), acc);
                }

                Unsafe.Add(ref o, (s * cols) + j) = acc;
            }
        }
    }

    /// <summary>One row, with the same per-output arithmetic as the 8-row kernels.</summary>
    private static void One(ref float x, int inner, ref float w, int ldw, ref float bias, ref float o, int cols)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && cols >= 8)
        {
            for (; j < cols; j += 8)
            {
                int at = Math.Min(j, cols - 8);
                var acc = Vector256.LoadUnsafe(ref bias, (nuint)at);
                ref float wk = ref Unsafe.Add(ref w, at);
                for (int k = 0; k < inner; k++)
                {
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x, k)), Vector256.LoadUnsafe(ref wk), acc);
                    wk = ref Unsafe.Add(ref wk, ldw);
                }

                acc.StoreUnsafe(ref o, (nuint)at);
            }

            return;
        }

        for (; j < cols; j++)
        {
            float acc = Unsafe.Add(ref bias, j);
            for (int k = 0; k < inner; k++)
            {
                acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, k), Unsafe.Add(ref w, (k * ldw) + j), acc);
            }

            Unsafe.Add(ref o, j) = acc;
        }
    }

    private static void Eight512x2(ref float x, int inner, ref float w, int ldw, ref float bias, ref float o, int cols, int j)
    {
        var b0 = Vector512.LoadUnsafe(ref bias, (nuint)j);
        var b1 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 16));
        Vector512<float> a0 = b0, a1 = b0, a2 = b0, a3 = b0, a4 = b0, a5 = b0, a6 = b0, a7 = b0;
        Vector512<float> c0 = b1, c1 = b1, c2 = b1, c3 = b1, c4 = b1, c5 = b1, c6 = b1, c7 = b1;
        ref float wk = ref Unsafe.Add(ref w, j);
        ref float xk = ref x;
        for (int k = 0; k < inner; k++)
        {
            var w0 = Vector512.LoadUnsafe(ref wk);
            var w1 = Vector512.LoadUnsafe(ref wk, 16);
            var v = Vector512.Create(xk);
            a0 = Vector512.FusedMultiplyAdd(v, w0, a0);
            c0 = Vector512.FusedMultiplyAdd(v, w1, c0);
            v = Vector512.Create(Unsafe.Add(ref xk, inner));
            a1 = Vector512.FusedMultiplyAdd(v, w0, a1);
            c1 = Vector512.FusedMultiplyAdd(v, w1, c1);
            v = Vector512.Create(Unsafe.Add(ref xk, 2 * inner));
            a2 = Vector512.FusedMultiplyAdd(v, w0, a2);
            c2 = Vector512.FusedMultiplyAdd(v, w1, c2);
            v = Vector512.Create(Unsafe.Add(ref xk, 3 * inner));
            a3 = Vector512.FusedMultiplyAdd(v, w0, a3);
            c3 = Vector512.FusedMultiplyAdd(v, w1, c3);
            v = Vector512.Create(Unsafe.Add(ref xk, 4 * inner));
            a4 = Vector512.FusedMultiplyAdd(v, w0, a4);
            c4 = Vector512.FusedMultiplyAdd(v, w1, c4);
            v = Vector512.Create(Unsafe.Add(ref xk, 5 * inner));
            a5 = Vector512.FusedMultiplyAdd(v, w0, a5);
            c5 = Vector512.FusedMultiplyAdd(v, w1, c5);
            v = Vector512.Create(Unsafe.Add(ref xk, 6 * inner));
            a6 = Vector512.FusedMultiplyAdd(v, w0, a6);
            c6 = Vector512.FusedMultiplyAdd(v, w1, c6);
            v = Vector512.Create(Unsafe.Add(ref xk, 7 * inner));
            a7 = Vector512.FusedMultiplyAdd(v, w0, a7);
            c7 = Vector512.FusedMultiplyAdd(v, w1, c7);
            wk = ref Unsafe.Add(ref wk, ldw);
            xk = ref Unsafe.Add(ref xk, 1);
        }

        ref float oj = ref Unsafe.Add(ref o, j);
        a0.StoreUnsafe(ref oj);
        c0.StoreUnsafe(ref oj, 16);
        a1.StoreUnsafe(ref oj, (nuint)cols);
        c1.StoreUnsafe(ref oj, (nuint)(cols + 16));
        a2.StoreUnsafe(ref oj, (nuint)(2 * cols));
        c2.StoreUnsafe(ref oj, (nuint)((2 * cols) + 16));
        a3.StoreUnsafe(ref oj, (nuint)(3 * cols));
        c3.StoreUnsafe(ref oj, (nuint)((3 * cols) + 16));
        a4.StoreUnsafe(ref oj, (nuint)(4 * cols));
        c4.StoreUnsafe(ref oj, (nuint)((4 * cols) + 16));
        a5.StoreUnsafe(ref oj, (nuint)(5 * cols));
        c5.StoreUnsafe(ref oj, (nuint)((5 * cols) + 16));
        a6.StoreUnsafe(ref oj, (nuint)(6 * cols));
        c6.StoreUnsafe(ref oj, (nuint)((6 * cols) + 16));
        a7.StoreUnsafe(ref oj, (nuint)(7 * cols));
        c7.StoreUnsafe(ref oj, (nuint)((7 * cols) + 16));
    }

    private static void Eight512(ref float x, int inner, ref float w, int ldw, ref float bias, ref float o, int cols, int j)
    {
        var b0 = Vector512.LoadUnsafe(ref bias, (nuint)j);
        Vector512<float> a0 = b0, a1 = b0, a2 = b0, a3 = b0, a4 = b0, a5 = b0, a6 = b0, a7 = b0;
        ref float wk = ref Unsafe.Add(ref w, j);
        ref float xk = ref x;
        for (int k = 0; k < inner; k++)
        {
            var w0 = Vector512.LoadUnsafe(ref wk);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(xk), w0, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, inner)), w0, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 2 * inner)), w0, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 3 * inner)), w0, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 4 * inner)), w0, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 5 * inner)), w0, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 6 * inner)), w0, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xk, 7 * inner)), w0, a7);
            wk = ref Unsafe.Add(ref wk, ldw);
            xk = ref Unsafe.Add(ref xk, 1);
        }

        ref float oj = ref Unsafe.Add(ref o, j);
        a0.StoreUnsafe(ref oj);
        a1.StoreUnsafe(ref oj, (nuint)cols);
        a2.StoreUnsafe(ref oj, (nuint)(2 * cols));
        a3.StoreUnsafe(ref oj, (nuint)(3 * cols));
        a4.StoreUnsafe(ref oj, (nuint)(4 * cols));
        a5.StoreUnsafe(ref oj, (nuint)(5 * cols));
        a6.StoreUnsafe(ref oj, (nuint)(6 * cols));
        a7.StoreUnsafe(ref oj, (nuint)(7 * cols));
    }

    private static void Eight256(ref float x, int inner, ref float w, int ldw, ref float bias, ref float o, int cols, int j)
    {
        var b0 = Vector256.LoadUnsafe(ref bias, (nuint)j);
        Vector256<float> a0 = b0, a1 = b0, a2 = b0, a3 = b0, a4 = b0, a5 = b0, a6 = b0, a7 = b0;
        ref float wk = ref Unsafe.Add(ref w, j);
        ref float xk = ref x;
        for (int k = 0; k < inner; k++)
        {
            var w0 = Vector256.LoadUnsafe(ref wk);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Create(xk), w0, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, inner)), w0, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 2 * inner)), w0, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 3 * inner)), w0, a3);
            a4 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 4 * inner)), w0, a4);
            a5 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 5 * inner)), w0, a5);
            a6 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 6 * inner)), w0, a6);
            a7 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref xk, 7 * inner)), w0, a7);
            wk = ref Unsafe.Add(ref wk, ldw);
            xk = ref Unsafe.Add(ref xk, 1);
        }

        ref float oj = ref Unsafe.Add(ref o, j);
        a0.StoreUnsafe(ref oj);
        a1.StoreUnsafe(ref oj, (nuint)cols);
        a2.StoreUnsafe(ref oj, (nuint)(2 * cols));
        a3.StoreUnsafe(ref oj, (nuint)(3 * cols));
        a4.StoreUnsafe(ref oj, (nuint)(4 * cols));
        a5.StoreUnsafe(ref oj, (nuint)(5 * cols));
        a6.StoreUnsafe(ref oj, (nuint)(6 * cols));
        a7.StoreUnsafe(ref oj, (nuint)(7 * cols));
    }
}

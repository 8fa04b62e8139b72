using System.Numerics.Tensors;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The two-hidden-layer ReLU network of <see cref="MlpQuantileForecaster"/> over many rows at once:
/// <c>raw = W3ᵀ relu(W2ᵀ relu(W1ᵀ x + b1) + b2) + b3</c>, eight rows per blocked matrix pass
/// (<see cref="BlockedGemm"/>, so a row's result does not depend on the rows beside it), and the
/// exact gradient of a loss on raw back to every parameter. Buffers hold <see cref="Capacity"/> rows
/// and grow only when asked for more.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly MlpLayout _l;
    private float[] _a1 = [], _a2 = [], _raw = [], _d2 = [], _d1 = [];

    public MlpNetwork(MlpLayout layout, int rows)
    {
        _l = layout;
        EnsureCapacity(rows);
    }

    /// <summary>Rows the buffers hold.</summary>
    public int Capacity { get; private set; }

    /// <summary>Raw outputs of the last <see cref="Forward"/>, rows × O.</summary>
    public Span<float> Raw => _raw;

    /// <summary>Grows the buffers to hold <paramref name="rows"/> rows (allocates only when they are smaller).</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }

        Capacity = Math.Max(rows, Capacity * 2);
        _a1 = new float[Capacity * _l.Hidden];
        _a2 = new float[Capacity * _l.Hidden];
        _d1 = new float[Capacity * _l.Hidden];
        _d2 = new float[Capacity * _l.Hidden];
        _raw = new float[Capacity * _l.Outputs];
    }

    /// <summary>Runs <paramref name="rows"/> rows of <paramref name="x"/> (rows × F) forward; raw outputs land in <see cref="Raw"/>.</summary>
    public void Forward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, int rows)
    {
        int h = _l.Hidden, f = _l.Features, o = _l.Outputs;
        Layer(x, f, p.Slice(_l.W1, f * h), p.Slice(_l.B1, h), _a1, rows);
        TensorPrimitives.Max(_a1.AsSpan(0, rows * h), 0f, _a1.AsSpan(0, rows * h));
        Layer(_a1, h, p.Slice(_l.W2, h * h), p.Slice(_l.B2, h), _a2, rows);
        TensorPrimitives.Max(_a2.AsSpan(0, rows * h), 0f, _a2.AsSpan(0, rows * h));
        Layer(_a2, h, p.Slice(_l.W3, h * o), p.Slice(_l.B3, o), _raw, rows);
    }

    /// <summary>
    /// Adds the gradient of the loss to <paramref name="grad"/>, given d loss / d raw of the rows of the
    /// last <see cref="Forward"/> (<paramref name="dRaw"/>, rows × O) and its inputs <paramref name="x"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> p, Span<float> grad, ReadOnlySpan<float> x, ReadOnlySpan<float> dRaw, int rows)
    {
        int h = _l.Hidden, f = _l.Features, o = _l.Outputs;
        Back(p.Slice(_l.W3, h * o), grad.Slice(_l.W3, h * o), grad.Slice(_l.B3, o), _a2, h, dRaw, o, _d2, rows);
        Relu(_a2, _d2, rows * h);
        Back(p.Slice(_l.W2, h * h), grad.Slice(_l.W2, h * h), grad.Slice(_l.B2, h), _a1, h, _d2, h, _d1, rows);
        Relu(_a1, _d1, rows * h);
        Back(p.Slice(_l.W1, f * h), grad.Slice(_l.W1, f * h), grad.Slice(_l.B1, h), x, f, _d1, h, [], rows);
    }

    private static void Layer(ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> output, int rows)
    {
        int cols = bias.Length;
        for (int s = 0; s < rows; s += BlockedGemm.Rows)
        {
            int count = Math.Min(BlockedGemm.Rows, rows - s);
            BlockedGemm.Multiply(input.Slice(s * inner, count * inner), inner, w, bias, output.Slice(s * cols, count * cols), count);
        }
    }

    /// <summary>For out = Wᵀ in + b: adds dW and db from d out, and writes d in (unless <paramref name="dIn"/> is empty).</summary>
    private static void Back(ReadOnlySpan<float> w, Span<float> dw, Span<float> db, ReadOnlySpan<float> input, int inner, ReadOnlySpan<float> dOut, int cols, Span<float> dIn, int rows)
    {
        for (int s = 0; s < rows; s++)
        {
            ReadOnlySpan<float> d = dOut.Slice(s * cols, cols);
            ReadOnlySpan<float> a = input.Slice(s * inner, inner);
            TensorPrimitives.Add(db, d, db);
            for (int k = 0; k < inner; k++)
            {
                if (a[k] != 0f)
                {
                    Span<float> row = dw.Slice(k * cols, cols);
                    TensorPrimitives.MultiplyAdd(d, a[k], row, row);
                }

                if (!dIn.IsEmpty)
                {
                    dIn[(s * inner) + k] = TensorPrimitives.Dot(w.Slice(k * cols, cols), d);
                }
            }
        }
    }

    /// <summary>Zeroes the gradient where the ReLU was off.</summary>
    private static void Relu(ReadOnlySpan<float> activation, Span<float> d, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (activation[i] <= 0f)
            {
                d[i] = 0f;
            }
        }
    }
}

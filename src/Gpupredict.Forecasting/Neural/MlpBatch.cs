namespace Gpupredict.Forecasting.Neural;

/// <summary>Rows of an <see cref="MlpDataset"/> copied side by side for one pass of the network: inputs, bases, spreads and targets.</summary>
internal sealed class MlpBatch
{
    private readonly MlpLayout _l;

    public MlpBatch(MlpLayout layout, int capacity)
    {
        _l = layout;
        X = new float[capacity * layout.Features];
        Base = new float[capacity];
        Spread = new float[capacity];
        Weight = new float[capacity];
        Y = new float[capacity * layout.Horizon];
    }

    public float[] X { get; }

    public float[] Base { get; }

    public float[] Spread { get; }

    public float[] Y { get; }

    public float[] Weight { get; }

    /// <summary>Copies <paramref name="rows"/> of <paramref name="data"/> (at most the capacity) into the batch, in order.</summary>
    public void Gather(MlpDataset data, ReadOnlySpan<int> rows)
    {
        int f = _l.Features, h = _l.Horizon;
        for (int s = 0; s < rows.Length; s++)
        {
            int row = rows[s];
            data.X.AsSpan(row * f, f).CopyTo(X.AsSpan(s * f));
            Base[s] = data.Base[row];
            Spread[s] = data.Spread[row];
            Weight[s] = data.Weight[row];
            data.Y.AsSpan(row * h, h).CopyTo(Y.AsSpan(s * h));
        }
    }
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Shapes and offsets of the Transformer forecaster's flat parameter vector, in this order (each
/// matrix stored by input rows, so row k holds the weights input k feeds to every output):
/// <c>[Win (F × d) | bin (d) | Pos (W × d) | Wq, Wk, Wv (d × d each) | bq, bk, bv (d each) |
/// Wo (d × d) | bo (d) | γ1, β1 (d each) | W1 (d × M) | b1 (M) | W2 (M × d) | b2 (d) | γ2, β2 (d each) |
/// Vt (d × O) | bout (O)]</c> with F features per step, width d, window W, feed-forward width M and
/// O = Horizon × Levels × 3 head outputs (<c>o = (r·Horizon + h)·Levels + q</c>, as in <see cref="LstmLayout"/>).
/// </summary>
internal sealed class TransformerLayout
{
    public TransformerLayout(TransformerOptions o, int horizon, ReadOnlySpan<double> levels)
    {
        int d = o.Model;
        Model = d;
        Window = o.Window;
        FeedForward = o.FeedForward;
        Horizon = horizon;
        Levels = levels.ToArray();
        Median = LstmLayout.MedianIndex(levels);
        Outputs = horizon * levels.Length * Resources.Count;
        int at = 0;
        InputWeights = Take(ref at, StepFeatures.Count * d);
        InputBias = Take(ref at, d);
        Position = Take(ref at, Window * d);
        Query = Take(ref at, d * d);
        Key = Take(ref at, d * d);
        Value = Take(ref at, d * d);
        QueryBias = Take(ref at, d);
        KeyBias = Take(ref at, d);
        ValueBias = Take(ref at, d);
        Out = Take(ref at, d * d);
        OutBias = Take(ref at, d);
        Gain1 = Take(ref at, d);
        Shift1 = Take(ref at, d);
        Hidden = Take(ref at, d * FeedForward);
        HiddenBias = Take(ref at, FeedForward);
        Back = Take(ref at, FeedForward * d);
        BackBias = Take(ref at, d);
        Gain2 = Take(ref at, d);
        Shift2 = Take(ref at, d);
        HeadOffset = Take(ref at, d * Outputs);
        HeadBiasOffset = Take(ref at, Outputs);
        Count = at;
    }

    /// <summary>d: the model width.</summary>
    public int Model { get; }

    /// <summary>W: steps of context.</summary>
    public int Window { get; }

    /// <summary>M: feed-forward width.</summary>
    public int FeedForward { get; }

    public int Horizon { get; }

    /// <summary>The quantile levels.</summary>
    public double[] Levels { get; }

    /// <summary>The level nearest 0.5: predicted directly; the others are softplus steps away from it.</summary>
    public int Median { get; }

    /// <summary>O = Horizon × Levels × 3.</summary>
    public int Outputs { get; }

    public int InputWeights { get; }

    public int InputBias { get; }

    public int Position { get; }

    public int Query { get; }

    public int Key { get; }

    public int Value { get; }

    public int QueryBias { get; }

    public int KeyBias { get; }

    public int ValueBias { get; }

    public int Out { get; }

    public int OutBias { get; }

    public int Gain1 { get; }

    public int Shift1 { get; }

    public int Hidden { get; }

    public int HiddenBias { get; }

    public int Back { get; }

    public int BackBias { get; }

    public int Gain2 { get; }

    public int Shift2 { get; }

    public int HeadOffset { get; }

    public int HeadBiasOffset { get; }

    /// <summary>Number of parameters.</summary>
    public int Count { get; }

    private static int Take(ref int at, int count)
    {
        int start = at;
        at += count;
        return start;
    }
}

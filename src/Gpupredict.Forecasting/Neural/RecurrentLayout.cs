using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Shapes and offsets of a GRU's or Elman RNN's flat parameter vector:
/// <c>[W (K × G) | bx (G) | bh (G) | Vt (H × O) | bo (O)]</c> where K = features + H and
/// G = gates per unit × H. Rows 0..features−1 of W weigh the input, rows features.. weigh h; bx is
/// added to the input product and bh to the recurrent one (the GRU's reset gate scales the latter).
/// Head output <c>o = (r·Horizon + h)·Levels + q</c>, as in <see cref="LstmLayout"/>.
/// </summary>
internal sealed class RecurrentLayout
{
    public RecurrentLayout(int hidden, int gatesPerUnit, int horizon, ReadOnlySpan<double> levels)
    {
        Hidden = hidden;
        Horizon = horizon;
        Levels = levels.ToArray();
        Median = LstmLayout.MedianIndex(levels);
        Gates = gatesPerUnit * hidden;
        Inputs = StepFeatures.Count + hidden;
        Outputs = horizon * levels.Length * Resources.Count;
        RecurrentOffset = StepFeatures.Count * Gates;
        BiasOffset = Inputs * Gates;
        RecurrentBiasOffset = BiasOffset + Gates;
        HeadOffset = RecurrentBiasOffset + Gates;
        HeadBiasOffset = HeadOffset + (hidden * Outputs);
        Count = HeadBiasOffset + Outputs;
    }

    public int Hidden { get; }

    public int Horizon { get; }

    /// <summary>The quantile levels.</summary>
    public double[] Levels { get; }

    public int LevelCount => Levels.Length;

    /// <summary>The level nearest 0.5: predicted directly; the others are softplus steps away from it.</summary>
    public int Median { get; }

    /// <summary>G: pre-activations per step.</summary>
    public int Gates { get; }

    /// <summary>K = Features + Hidden: rows of W.</summary>
    public int Inputs { get; }

    /// <summary>O = Horizon × Levels × 3.</summary>
    public int Outputs { get; }

    /// <summary>Start of W's recurrent rows (H × G).</summary>
    public int RecurrentOffset { get; }

    public int BiasOffset { get; }

    public int RecurrentBiasOffset { get; }

    public int HeadOffset { get; }

    public int HeadBiasOffset { get; }

    /// <summary>Number of parameters.</summary>
    public int Count { get; }

    /// <summary>Index of output (r, h, q) in the head's resource-major order.</summary>
    public int Output(int r, int h, int q) => (((r * Horizon) + h) * LevelCount) + q;
}

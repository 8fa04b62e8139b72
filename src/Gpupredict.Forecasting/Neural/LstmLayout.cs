using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Shapes and offsets of the network's flat parameter vector:
/// <c>[Wt (K × 4H) | b (4H) | Vt (H × O) | bo (O)]</c> where K = <see cref="StepFeatures.Count"/> + H, the gate order is
/// i, f, o, g, row k of Wt holds input k's weights to every gate, and head output
/// <c>o = (r·Horizon + h)·Levels + q</c> (resource-major, so each resource is one contiguous span).
/// </summary>
internal sealed class LstmLayout
{
    public LstmLayout(int hidden, int horizon, ReadOnlySpan<double> levels)
    {
        Hidden = hidden;
        Horizon = horizon;
        Levels = levels.ToArray();
        Median = MedianIndex(levels);
        Gates = 4 * hidden;
        Inputs = StepFeatures.Count + hidden;
        Outputs = horizon * levels.Length * Resources.Count;
        BiasOffset = Inputs * Gates;
        HeadOffset = BiasOffset + Gates;
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

    /// <summary>4 × Hidden.</summary>
    public int Gates { get; }

    /// <summary>K = <see cref="StepFeatures.Count"/> + Hidden: the length of [x; h].</summary>
    public int Inputs { get; }

    /// <summary>O = Horizon × Levels × 3.</summary>
    public int Outputs { get; }

    public int BiasOffset { get; }

    public int HeadOffset { get; }

    public int HeadBiasOffset { get; }

    /// <summary>Number of parameters.</summary>
    public int Count { get; }

    /// <summary>Quantile groups: one per (resource, horizon step).</summary>
    public int Groups => Horizon * Resources.Count;

    /// <summary>Index of output (r, h, q) in the head's resource-major order.</summary>
    public int Output(int r, int h, int q) => (((r * Horizon) + h) * LevelCount) + q;

    internal static int MedianIndex(ReadOnlySpan<double> levels)
    {
        int best = 0;
        for (int q = 1; q < levels.Length; q++)
        {
            if (Math.Abs(levels[q] - 0.5) < Math.Abs(levels[best] - 0.5))
            {
                best = q;
            }
        }

        return best;
    }
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialises and fits the network: the shared <see cref="RecurrentTraining"/> loop (seeded
/// window sampling, truncated BPTT, Adam with global-norm clipping) over <see cref="LstmWindow"/>.
/// </summary>
internal static class LstmTrainer
{
    /// <summary>Uniform ±1/√H weights (the usual LSTM initialisation), forget-gate bias 1, other biases 0.</summary>
    public static void Initialise(LstmLayout l, Span<float> p, Random rng)
    {
        RecurrentTraining.Initialise(p, l.Hidden, l.BiasOffset, l.HeadOffset, l.HeadBiasOffset, rng);
        p.Slice(l.BiasOffset + l.Hidden, l.Hidden).Fill(1f);
    }

    /// <summary>Trains <paramref name="p"/> in place; does nothing when no series is longer than Horizon + 1 steps.</summary>
    public static void Train(LstmLayout l, float[] p, LstmNormaliser n, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng) =>
        RecurrentTraining.Train(l.Horizon, p, n, training, o, rng, () => new LstmWindow(l, o.Window));

    /// <summary>Each usable series as steps × 3 normalised values.</summary>
    public static List<float[]> Normalise(LstmLayout l, LstmNormaliser n, IReadOnlyList<DemandSeries> training) =>
        RecurrentTraining.Normalise(l.Horizon, n, training);
}

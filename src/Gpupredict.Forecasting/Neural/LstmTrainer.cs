using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialises and fits the network: the shared <see cref="RecurrentTraining"/> loop (seeded
/// window sampling, truncated BPTT, Adam with global-norm clipping, early stopping) over <see cref="LstmWindow"/>.
/// </summary>
internal static class LstmTrainer
{
    /// <summary>Uniform ±1/√H weights (the usual LSTM initialisation), forget-gate bias 1, other biases 0, the head at persistence.</summary>
    public static void Initialise(LstmLayout l, Span<float> p, Random rng)
    {
        RecurrentTraining.Initialise(p, l.Hidden, l.BiasOffset, l.HeadOffset, l.HeadOffset, l.HeadBiasOffset, l.LevelCount, l.Median, rng);
        p.Slice(l.BiasOffset + l.Hidden, l.Hidden).Fill(1f);
    }

    /// <summary>Trains <paramref name="p"/> in place and returns the curve; does nothing when no series is long enough.</summary>
    public static List<TrainingEpoch> Train(LstmLayout l, float[] p, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng) =>
        RecurrentTraining.Train(l.Horizon, p, training, o, rng, () => new LstmWindow(l, o.Window));
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialises and fits the network: the shared <see cref="RecurrentTraining"/> loop (seeded
/// window sampling, truncated BPTT, Adam with global-norm clipping, early stopping) over <see cref="LstmWindow"/>.
/// </summary>
internal static class LstmTrainer
{
    /// <summary>
    /// Uniform ±1/√H weights, every gate bias 0 (the forget gate too: a forget bias of 1 keeps memory
    /// far longer than the 48-step training windows, which start from a zero state, while a stream
    /// runs from the application's first step), the head at persistence.
    /// </summary>
    public static void Initialise(LstmLayout l, Span<float> p, Random rng) =>
        RecurrentTraining.Initialise(p, l.Hidden, l.BiasOffset, l.HeadOffset, l.HeadOffset, l.HeadBiasOffset, l.LevelCount, l.Median, rng);

    /// <summary>Trains <paramref name="p"/> in place and returns the curve; does nothing when no series is long enough.</summary>
    public static List<TrainingEpoch> Train(LstmLayout l, float[] p, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng) =>
        RecurrentTraining.Train(l.Horizon, p, training, o, rng, () => new LstmWindow(l, o.Window));
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialisation and training of the Transformer forecaster: forecast origins sampled (seeded,
/// uniformly over every usable step of every normalised series), pinball loss through
/// <see cref="TransformerWindow"/>, Adam with global-norm clipping, a fixed number of optimiser steps.
/// </summary>
internal static class TransformerTraining
{
    /// <summary>Trains <paramref name="p"/> in place; does nothing when no series is longer than Horizon + 1 steps.</summary>
    public static void Train(TransformerLayout l, float[] p, LstmNormaliser n, IReadOnlyList<DemandSeries> training, TransformerOptions o, Random rng)
    {
        List<float[]> data = RecurrentTraining.Normalise(l.Horizon, n, training);
        if (data.Count == 0 || o.TrainingSteps == 0)
        {
            return;
        }

        // Origins of series i are its steps 0 .. steps − Horizon − 1: the next Horizon steps must exist.
        long[] cumulative = new long[data.Count];
        long total = 0;
        for (int i = 0; i < data.Count; i++)
        {
            total += (data[i].Length / 3) - l.Horizon;
            cumulative[i] = total;
        }

        var window = new TransformerWindow(l);
        var adam = new AdamOptimizer(p.Length);
        float[] grad = new float[p.Length];
        for (int step = 0; step < o.TrainingSteps; step++)
        {
            Array.Clear(grad);
            for (int b = 0; b < o.BatchSize; b++)
            {
                long pick = rng.NextInt64(total);
                int index = Array.BinarySearch(cumulative, pick);
                index = index < 0 ? ~index : index + 1;
                long before = index == 0 ? 0 : cumulative[index - 1];
                window.Run(p, grad, data[index], (int)(pick - before), 1f / o.BatchSize);
            }

            adam.Step(p, grad, o.LearningRate, o.ClipNorm);
        }
    }

    /// <summary>
    /// Weights uniform ±1/√(fan-in), positional embeddings uniform ±0.1, biases and layer-norm shifts
    /// zero, layer-norm gains one.
    /// </summary>
    public static void Initialise(TransformerLayout l, Span<float> p, Random rng)
    {
        p.Clear();
        int d = l.Model;
        Uniform(p.Slice(l.InputWeights, StepFeatures.Count * d), StepFeatures.Count, rng);
        Uniform(p.Slice(l.Position, l.Window * d), 100, rng);
        Uniform(p.Slice(l.Query, d * d), d, rng);
        Uniform(p.Slice(l.Key, d * d), d, rng);
        Uniform(p.Slice(l.Value, d * d), d, rng);
        Uniform(p.Slice(l.Out, d * d), d, rng);
        p.Slice(l.Gain1, d).Fill(1f);
        Uniform(p.Slice(l.Hidden, d * l.FeedForward), d, rng);
        Uniform(p.Slice(l.Back, l.FeedForward * d), l.FeedForward, rng);
        p.Slice(l.Gain2, d).Fill(1f);
        Uniform(p.Slice(l.HeadOffset, d * l.Outputs), d, rng);
    }

    private static void Uniform(Span<float> weights, int fanIn, Random rng)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((2 * rng.NextSingle()) - 1) * bound;
        }
    }
}

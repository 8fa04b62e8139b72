using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialisation and training of the Transformer forecaster: each series walked from its first
/// step on its own scale (<see cref="ScaledSeries"/>) and split in time, its last
/// <see cref="TransformerOptions.ValidationFraction"/> held out; forecast origins sampled (seeded,
/// uniformly over every usable step of the earlier parts), pinball loss through
/// <see cref="TransformerWindow"/>, Adam with global-norm clipping, and the shared cosine learning
/// rate and early stopping on the held-out origins (<see cref="EarlyStopping"/>).
/// </summary>
internal static class TransformerTraining
{
    /// <summary>Validation origins scored per epoch at most (evenly thinned beyond).</summary>
    private const int MaxValidationOrigins = 2048;

    /// <summary>Trains <paramref name="p"/> in place and returns the curve; does nothing when no series has a training part longer than Horizon + 1 steps.</summary>
    public static List<TrainingEpoch> Train(TransformerLayout l, float[] p, IReadOnlyList<DemandSeries> training, TransformerOptions o, Random rng)
    {
        var data = new List<(ScaledSeries Series, int TrainEnd)>();
        foreach (DemandSeries s in training)
        {
            int trainEnd = s.Count - (int)(s.Count * o.ValidationFraction);
            if (trainEnd >= l.Horizon + 2)
            {
                data.Add((ScaledSeries.Build(s, o.ScaleDecay), trainEnd));
            }
        }

        if (data.Count == 0 || o.MaxEpochs == 0)
        {
            return [];
        }

        // Training origins of series i are its steps 0 .. TrainEnd − Horizon − 1: the next Horizon steps are in its training part.
        long[] cumulative = new long[data.Count];
        long total = 0;
        var validation = new List<(ScaledSeries Series, int End)>();
        for (int i = 0; i < data.Count; i++)
        {
            (ScaledSeries series, int trainEnd) = data[i];
            total += trainEnd - l.Horizon;
            cumulative[i] = total;
            for (int a = trainEnd - 1; a <= series.Steps - l.Horizon - 1; a++)
            {
                validation.Add((series, a));
            }
        }

        int stride = (validation.Count + MaxValidationOrigins - 1) / MaxValidationOrigins;
        if (stride > 1)
        {
            validation = [.. validation.Where((_, i) => i % stride == 0)];
        }

        var window = new TransformerWindow(l);
        var adam = new AdamOptimizer(p.Length);
        float[] grad = new float[p.Length];
        double Epoch(float lr)
        {
            double loss = 0;
            for (int step = 0; step < o.TrainingSteps; step++)
            {
                Array.Clear(grad);
                for (int b = 0; b < o.BatchSize; b++)
                {
                    long pick = rng.NextInt64(total);
                    int index = Array.BinarySearch(cumulative, pick);
                    index = index < 0 ? ~index : index + 1;
                    long before = index == 0 ? 0 : cumulative[index - 1];
                    loss += window.Run(p, grad, data[index].Series, (int)(pick - before), 1f / o.BatchSize);
                }

                adam.Step(p, grad, lr, o.ClipNorm);
            }

            return loss / Math.Max(1, o.TrainingSteps * o.BatchSize);
        }

        double Validate()
        {
            double loss = 0;
            foreach ((ScaledSeries series, int end) in validation)
            {
                loss += window.Run(p, [], series, end, 0f);
            }

            return validation.Count == 0 ? double.NaN : loss / validation.Count;
        }

        return EarlyStopping.Run(p, o.MaxEpochs, o.Patience, o.LearningRate, Epoch, Validate);
    }

    /// <summary>
    /// Weights uniform ±1/√(fan-in), positional embeddings uniform ±0.1, biases and layer-norm shifts
    /// zero, layer-norm gains one, the head at persistence (<see cref="RecurrentHead.Initialise"/>).
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
        RecurrentHead.Initialise(p, l.HeadOffset, l.HeadBiasOffset, l.Outputs, l.Levels.Length, l.Median);
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

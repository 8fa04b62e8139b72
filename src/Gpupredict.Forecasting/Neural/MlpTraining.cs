using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialisation and training of <see cref="MlpQuantileForecaster"/>: windows from every training
/// series at once (<see cref="MlpDataset"/>), drawn in a seeded shuffled order, pinball loss in the
/// scaled space, Adam, and the shared cosine learning rate and early stopping on the held-out windows
/// (<see cref="EarlyStopping"/>; the untrained network, i.e. the base, is a candidate). Deterministic for a seed.
/// </summary>
internal static class MlpTraining
{
    private const float ClipNorm = 1f;
    private const int EvaluationRows = 512;

    /// <summary>Validation rows scored per epoch at most (evenly thinned beyond): an epoch's check costs no more than its training.</summary>
    private const int MaxValidationRows = 16384;

    /// <summary>
    /// softplus⁻¹(0.5): the untrained head's step between neighbouring levels is half the row's
    /// spread, a narrow interval around the base.
    /// </summary>
    private static readonly float NarrowStep = MathF.Log(MathF.Exp(0.5f) - 1f);

    /// <summary>He-uniform hidden weights, zero biases, a zero last layer and a narrow interval: untrained, the model forecasts its base.</summary>
    public static void Initialise(MlpLayout l, Span<float> p, Random rng)
    {
        p.Clear();
        Uniform(p.Slice(l.W1, l.Features * l.Hidden), l.Features, rng);
        Uniform(p.Slice(l.W2, l.Hidden * l.Hidden), l.Hidden, rng);
        Span<float> b3 = p.Slice(l.B3, l.Outputs);
        for (int i = 0; i < b3.Length; i++)
        {
            b3[i] = i % l.Levels.Length == l.Median ? 0f : NarrowStep;
        }
    }

    /// <summary>Trains <paramref name="p"/> in place and returns the training curve (epoch 0: the parameters as given).</summary>
    public static List<TrainingEpoch> Train(MlpLayout l, float[] p, IReadOnlyList<DemandSeries> training, MlpOptions o, Random rng)
    {
        MlpDataset data = MlpDataset.Build(training, l, o);
        if (data.Training.Count == 0)
        {
            return [];
        }

        var network = new MlpNetwork(l, Math.Max(o.BatchSize, EvaluationRows));
        var head = new MlpHead(l, Math.Max(o.BatchSize, EvaluationRows));
        var batch = new MlpBatch(l, Math.Max(o.BatchSize, EvaluationRows));
        var adam = new AdamOptimizer(p.Length);
        float[] grad = new float[p.Length], dRaw = new float[o.BatchSize * l.Outputs];
        int[] order = [.. data.Training], picked = new int[o.BatchSize];
        int[] validation = Thinned(data.Validation, MaxValidationRows);
        int cursor = order.Length;
        double Epoch(float lr)
        {
            int samples = Math.Min(o.EpochSamples, order.Length);
            double trainLoss = 0;
            for (int done = 0; done < samples; done += o.BatchSize)
            {
                int n = Math.Min(o.BatchSize, samples - done);
                for (int s = 0; s < n; s++)
                {
                    if (cursor == order.Length)
                    {
                        rng.Shuffle(order);
                        cursor = 0;
                    }

                    picked[s] = order[cursor++];
                }

                batch.Gather(data, picked.AsSpan(0, n));
                Array.Clear(grad);
                network.Forward(p, batch.X, n);
                head.Forward(network.Raw, batch.Base, batch.Spread, n);
                trainLoss += head.Loss(network.Raw, batch.Y, batch.Weight, n, dRaw, 1f / (n * l.Outputs));
                network.Backward(p, grad, batch.X, dRaw, n);
                adam.Step(p, grad, lr, ClipNorm);
            }

            return trainLoss / ((double)samples * l.Outputs);
        }

        return EarlyStopping.Run(p, o.MaxEpochs, o.Patience, o.LearningRate, Epoch, () => Evaluate(network, head, batch, l, p, data, validation));
    }

    /// <summary>Mean pinball loss (per row, horizon step and level) of <paramref name="rows"/>; NaN when there are none.</summary>
    private static double Evaluate(MlpNetwork network, MlpHead head, MlpBatch batch, MlpLayout l, ReadOnlySpan<float> p, MlpDataset data, int[] rows)
    {
        if (rows.Length == 0)
        {
            return double.NaN;
        }

        double loss = 0;
        for (int done = 0; done < rows.Length; done += EvaluationRows)
        {
            int n = Math.Min(EvaluationRows, rows.Length - done);
            batch.Gather(data, rows.AsSpan(done, n));
            network.Forward(p, batch.X, n);
            head.Forward(network.Raw, batch.Base, batch.Spread, n);
            loss += head.Loss(network.Raw, batch.Y, batch.Weight, n, [], 0f);
        }

        return loss / ((double)rows.Length * l.Outputs);
    }

    /// <summary>Every k-th of <paramref name="rows"/>, k chosen so that at most <paramref name="max"/> remain.</summary>
    private static int[] Thinned(List<int> rows, int max)
    {
        int stride = (rows.Count + max - 1) / max;
        return stride <= 1 ? [.. rows] : [.. rows.Where((_, i) => i % stride == 0)];
    }

    private static void Uniform(Span<float> weights, int fanIn, Random rng)
    {
        float bound = MathF.Sqrt(6f / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ((2 * rng.NextSingle()) - 1) * bound;
        }
    }
}

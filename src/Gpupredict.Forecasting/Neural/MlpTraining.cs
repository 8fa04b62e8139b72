using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialisation and training of <see cref="MlpQuantileForecaster"/>: windows from every training
/// series at once (<see cref="MlpDataset"/>), drawn in a seeded shuffled order, pinball loss in the
/// scaled space, Adam with a cosine learning-rate decay, and early stopping on the held-out windows:
/// after each epoch the validation pinball is measured, the best parameters are kept (the untrained
/// network, i.e. the base, included), and training stops after <see cref="MlpOptions.Patience"/>
/// epochs without improvement. Deterministic for a seed.
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
    public static List<MlpEpoch> Train(MlpLayout l, float[] p, IReadOnlyList<DemandSeries> training, MlpOptions o, Random rng)
    {
        var curve = new List<MlpEpoch>();
        MlpDataset data = MlpDataset.Build(training, l, o);
        if (data.Training.Count == 0)
        {
            return curve;
        }

        int batch = o.BatchSize;
        var network = new MlpNetwork(l, Math.Max(batch, EvaluationRows));
        var head = new MlpHead(l, Math.Max(batch, EvaluationRows));
        var adam = new AdamOptimizer(p.Length);
        float[] grad = new float[p.Length], best = (float[])p.Clone();
        float[] x = new float[batch * l.Features], bases = new float[batch], spreads = new float[batch], y = new float[batch * l.Horizon], dRaw = new float[batch * l.Outputs];
        int[] order = [.. data.Training];
        int cursor = order.Length;
        double bestLoss = Evaluate(network, head, l, p, data);
        curve.Add(new MlpEpoch(0, double.NaN, bestLoss, 0f));
        int stale = 0;
        for (int epoch = 1; epoch <= o.MaxEpochs; epoch++)
        {
            float lr = o.LearningRate * (0.05f + (0.95f * 0.5f * (1f + MathF.Cos(MathF.PI * (epoch - 1) / o.MaxEpochs))));
            int samples = Math.Min(o.EpochSamples, order.Length);
            double trainLoss = 0;
            for (int done = 0; done < samples; done += batch)
            {
                int n = Math.Min(batch, samples - done);
                for (int s = 0; s < n; s++)
                {
                    if (cursor == order.Length)
                    {
                        rng.Shuffle(order);
                        cursor = 0;
                    }

                    int row = order[cursor++];
                    data.X.AsSpan(row * l.Features, l.Features).CopyTo(x.AsSpan(s * l.Features));
                    bases[s] = data.Base[row];
                    spreads[s] = data.Spread[row];
                    data.Y.AsSpan(row * l.Horizon, l.Horizon).CopyTo(y.AsSpan(s * l.Horizon));
                }

                Array.Clear(grad);
                network.Forward(p, x, n);
                head.Forward(network.Raw, bases, spreads, n);
                trainLoss += head.Loss(network.Raw, y, n, dRaw, 1f / (n * l.Outputs));
                network.Backward(p, grad, x, dRaw, n);
                adam.Step(p, grad, lr, ClipNorm);
            }

            double validation = Evaluate(network, head, l, p, data);
            curve.Add(new MlpEpoch(epoch, trainLoss / ((double)samples * l.Outputs), validation, lr));
            if (double.IsNaN(validation) || validation < bestLoss)
            {
                bestLoss = validation;
                p.CopyTo(best, 0);
                stale = 0;
            }
            else if (++stale >= o.Patience)
            {
                break;
            }
        }

        best.CopyTo(p, 0);
        return curve;
    }

    /// <summary>Mean pinball loss (per row, horizon step and level) of the validation rows; NaN when there are none.</summary>
    private static double Evaluate(MlpNetwork network, MlpHead head, MlpLayout l, ReadOnlySpan<float> p, MlpDataset data)
    {
        List<int> all = data.Validation;
        if (all.Count == 0)
        {
            return double.NaN;
        }

        int stride = (all.Count + MaxValidationRows - 1) / MaxValidationRows;
        List<int> rows = stride == 1 ? all : [.. all.Where((_, i) => i % stride == 0)];

        float[] x = new float[EvaluationRows * l.Features], bases = new float[EvaluationRows], spreads = new float[EvaluationRows], y = new float[EvaluationRows * l.Horizon];
        double loss = 0;
        for (int done = 0; done < rows.Count; done += EvaluationRows)
        {
            int n = Math.Min(EvaluationRows, rows.Count - done);
            for (int s = 0; s < n; s++)
            {
                int row = rows[done + s];
                data.X.AsSpan(row * l.Features, l.Features).CopyTo(x.AsSpan(s * l.Features));
                bases[s] = data.Base[row];
                spreads[s] = data.Spread[row];
                data.Y.AsSpan(row * l.Horizon, l.Horizon).CopyTo(y.AsSpan(s * l.Horizon));
            }

            network.Forward(p, x, n);
            head.Forward(network.Raw, bases, spreads, n);
            loss += head.Loss(network.Raw, y, n, [], 0f);
        }

        return loss / ((double)rows.Count * l.Outputs);
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

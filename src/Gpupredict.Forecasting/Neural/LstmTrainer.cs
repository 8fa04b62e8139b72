using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Initialises and fits the network: windows sampled (seeded, in proportion to series length)
/// from the normalised training series, truncated BPTT through <see cref="LstmWindow"/>, Adam with
/// global-norm clipping, a fixed number of optimiser steps.
/// </summary>
internal static class LstmTrainer
{
    /// <summary>Uniform ±1/√H weights (the usual LSTM initialisation), forget-gate bias 1, other biases 0.</summary>
    public static void Initialise(LstmLayout l, Span<float> p, Random rng)
    {
        float bound = 1f / MathF.Sqrt(l.Hidden);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = ((2 * rng.NextSingle()) - 1) * bound;
        }

        p.Slice(l.BiasOffset, l.Gates).Clear();
        p.Slice(l.BiasOffset + l.Hidden, l.Hidden).Fill(1f);
        p.Slice(l.HeadBiasOffset, l.Outputs).Clear();
    }

    /// <summary>Trains <paramref name="p"/> in place; does nothing when no series is longer than Horizon + 1 steps.</summary>
    public static void Train(LstmLayout l, float[] p, LstmNormaliser n, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng)
    {
        List<float[]> data = Normalise(l, n, training);
        if (data.Count == 0 || o.TrainingSteps == 0)
        {
            return;
        }

        long[] cumulative = new long[data.Count];
        long total = 0;
        for (int i = 0; i < data.Count; i++)
        {
            total += data[i].Length / 3;
            cumulative[i] = total;
        }

        var window = new LstmWindow(l, o.Window);
        var adam = new AdamOptimizer(l.Count);
        float[] grad = new float[l.Count];
        for (int step = 0; step < o.TrainingSteps; step++)
        {
            Array.Clear(grad);
            for (int b = 0; b < o.BatchSize; b++)
            {
                int index = Array.BinarySearch(cumulative, rng.NextInt64(total));
                float[] series = data[index < 0 ? ~index : index + 1];
                int length = series.Length / 3;
                int steps = Math.Min(o.Window, length - l.Horizon);
                int start = rng.Next(length - l.Horizon - steps + 1);
                window.Run(p, grad, series, start, steps, Math.Min(o.BurnIn, steps - 1), 1f / o.BatchSize);
            }

            adam.Step(p, grad, o.LearningRate, o.ClipNorm);
        }
    }

    /// <summary>Each usable series as steps × 3 normalised values.</summary>
    public static List<float[]> Normalise(LstmLayout l, LstmNormaliser n, IReadOnlyList<DemandSeries> training)
    {
        var data = new List<float[]>();
        foreach (DemandSeries s in training)
        {
            if (s.Count < l.Horizon + 2)
            {
                continue;
            }

            float[] values = new float[s.Count * 3];
            for (int r = 0; r < 3; r++)
            {
                ReadOnlySpan<double> raw = s.Values((Resource)r);
                for (int t = 0; t < raw.Length; t++)
                {
                    values[(t * 3) + r] = n.Normalise(r, raw[t]);
                }
            }

            data.Add(values);
        }

        return data;
    }
}

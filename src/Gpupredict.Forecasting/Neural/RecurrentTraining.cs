using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The training loop every recurrent forecaster shares: windows sampled (seeded, in proportion to
/// series length) from the normalised training series, truncated BPTT through an
/// <see cref="ITruncatedWindow"/>, Adam with global-norm clipping, a fixed number of optimiser steps.
/// </summary>
internal static class RecurrentTraining
{
    /// <summary>
    /// Trains <paramref name="p"/> in place; does nothing (and creates no window) when no series is
    /// longer than Horizon + 1 steps. <paramref name="window"/> makes a window of up to Window steps.
    /// </summary>
    public static void Train(int horizon, float[] p, LstmNormaliser n, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng, Func<ITruncatedWindow> window)
    {
        List<float[]> data = Normalise(horizon, n, training);
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

        ITruncatedWindow w = window();
        var adam = new AdamOptimizer(p.Length);
        float[] grad = new float[p.Length];
        for (int step = 0; step < o.TrainingSteps; step++)
        {
            Array.Clear(grad);
            for (int b = 0; b < o.BatchSize; b++)
            {
                int index = Array.BinarySearch(cumulative, rng.NextInt64(total));
                float[] series = data[index < 0 ? ~index : index + 1];
                int length = series.Length / 3;
                int steps = Math.Min(o.Window, length - horizon);
                int start = rng.Next(length - horizon - steps + 1);
                w.Run(p, grad, series, start, steps, Math.Min(o.BurnIn, steps - 1), 1f / o.BatchSize);
            }

            adam.Step(p, grad, o.LearningRate, o.ClipNorm);
        }
    }

    /// <summary>Each series of at least Horizon + 2 steps as steps × 3 normalised values.</summary>
    public static List<float[]> Normalise(int horizon, LstmNormaliser n, IReadOnlyList<DemandSeries> training)
    {
        var data = new List<float[]>();
        foreach (DemandSeries s in training)
        {
            if (s.Count < horizon + 2)
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

    /// <summary>Uniform ±1/√H weights, then [<paramref name="biasFrom"/>, <paramref name="biasTo"/>) and everything from <paramref name="headBiasFrom"/> on cleared.</summary>
    public static void Initialise(Span<float> p, int hidden, int biasFrom, int biasTo, int headBiasFrom, Random rng)
    {
        float bound = 1f / MathF.Sqrt(hidden);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = ((2 * rng.NextSingle()) - 1) * bound;
        }

        p[biasFrom..biasTo].Clear();
        p[headBiasFrom..].Clear();
    }
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The training loop every recurrent forecaster shares: each series walked from its first step on
/// its own scale (<see cref="ScaledSeries"/>) and split in time, its last
/// <see cref="LstmOptions.ValidationFraction"/> held out; windows sampled (seeded, in proportion to
/// length) from the earlier parts, truncated BPTT through an <see cref="ITruncatedWindow"/>, Adam
/// with global-norm clipping, and the shared cosine learning rate and early stopping on the held-out
/// windows (<see cref="EarlyStopping"/>).
/// </summary>
internal static class RecurrentTraining
{
    /// <summary>Validation windows scored per epoch at most (evenly thinned beyond).</summary>
    private const int MaxValidationWindows = 256;

    /// <summary>
    /// Trains <paramref name="p"/> in place and returns the curve; does nothing (and creates no
    /// window) when no series has a training part longer than Horizon + 1 steps.
    /// <paramref name="window"/> makes a window of up to Window steps.
    /// </summary>
    public static List<TrainingEpoch> Train(int horizon, float[] p, IReadOnlyList<DemandSeries> training, LstmOptions o, Random rng, Func<ITruncatedWindow> window)
    {
        var data = new List<(ScaledSeries Series, int TrainEnd)>();
        foreach (DemandSeries s in training)
        {
            int trainEnd = s.Count - (int)(s.Count * o.ValidationFraction);
            if (trainEnd >= horizon + 2)
            {
                data.Add((ScaledSeries.Build(s, o.ScaleDecay), trainEnd));
            }
        }

        if (data.Count == 0 || o.MaxEpochs == 0)
        {
            return [];
        }

        long[] cumulative = new long[data.Count];
        long total = 0;
        for (int i = 0; i < data.Count; i++)
        {
            total += data[i].TrainEnd;
            cumulative[i] = total;
        }

        List<(ScaledSeries Series, int Start, int Steps, int BurnIn)> validation = Validation(data, horizon, o);
        ITruncatedWindow w = window();
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
                    int index = Array.BinarySearch(cumulative, rng.NextInt64(total));
                    (ScaledSeries series, int length) = data[index < 0 ? ~index : index + 1];
                    int steps = Math.Min(o.Window, length - horizon);
                    int start = rng.Next(length - horizon - steps + 1);
                    loss += w.Run(p, grad, series, start, steps, Math.Min(o.BurnIn, steps - 1), 1f / o.BatchSize);
                }

                adam.Step(p, grad, lr, o.ClipNorm);
            }

            return loss / Math.Max(1, o.TrainingSteps * o.BatchSize);
        }

        double Validate()
        {
            double loss = 0;
            long scored = 0;
            foreach ((ScaledSeries series, int start, int steps, int burnIn) in validation)
            {
                loss += w.Run(p, [], series, start, steps, burnIn, 0f) * (steps - burnIn);
                scored += steps - burnIn;
            }

            return scored == 0 ? double.NaN : loss / scored;
        }

        return EarlyStopping.Run(p, o.MaxEpochs, o.Patience, o.LearningRate, Epoch, Validate);
    }

    /// <summary>Uniform ±1/√H weights, then [<paramref name="biasFrom"/>, <paramref name="biasTo"/>) cleared and the head started at persistence (<see cref="RecurrentHead.Initialise"/>).</summary>
    public static void Initialise(Span<float> p, int hidden, int biasFrom, int biasTo, int headOffset, int headBiasOffset, int levels, int median, Random rng)
    {
        float bound = 1f / MathF.Sqrt(hidden);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = ((2 * rng.NextSingle()) - 1) * bound;
        }

        p[biasFrom..biasTo].Clear();
        RecurrentHead.Initialise(p, headOffset, headBiasOffset, p.Length - headBiasOffset, levels, median);
    }

    /// <summary>
    /// Windows over each series' held-out end: every origin from the last training step on is scored
    /// once, each window warmed by up to BurnIn steps before its first origin; thinned evenly to
    /// <see cref="MaxValidationWindows"/>.
    /// </summary>
    private static List<(ScaledSeries Series, int Start, int Steps, int BurnIn)> Validation(List<(ScaledSeries Series, int TrainEnd)> data, int horizon, LstmOptions o)
    {
        var windows = new List<(ScaledSeries Series, int Start, int Steps, int BurnIn)>();
        foreach ((ScaledSeries series, int trainEnd) in data)
        {
            int last = series.Steps - horizon - 1;
            for (int a = trainEnd - 1; a <= last;)
            {
                int burnIn = Math.Min(o.BurnIn, Math.Min(a, o.Window - 1));
                int scored = Math.Min(o.Window - burnIn, last - a + 1);
                windows.Add((series, a - burnIn, burnIn + scored, burnIn));
                a += scored;
            }
        }

        int stride = (windows.Count + MaxValidationWindows - 1) / MaxValidationWindows;
        return stride <= 1 ? windows : [.. windows.Where((_, i) => i % stride == 0)];
    }
}

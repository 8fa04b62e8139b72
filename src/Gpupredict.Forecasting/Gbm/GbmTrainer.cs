using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Gbm.Native;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// Builds the training matrix and trains the boosters. A row is a forecast origin t of a series
/// with every anchor step still inside it (t + horizon &lt; length): its features are those the
/// streaming forecaster would compute after observing steps 0..t (each series is replayed through a
/// <see cref="GbmHistory"/>), its target for (resource, anchor a) the normalised value at t + a
/// minus the normalised value at t. When there are more origins than <see cref="GbmOptions.MaxRows"/>,
/// a uniform sample drawn with the seed is kept.
/// </summary>
internal static class GbmTrainer
{
    /// <summary>The fitted model, or null when the series hold fewer than 2 × min-rows-in-leaf origins.</summary>
    /// <exception cref="LightGbmException">LightGBM failed.</exception>
    public static GbmModel? Train(IReadOnlyList<DemandSeries> training, int horizon, double[] levels, GbmOptions options, int seed)
    {
        int[] anchors = GbmAnchors.For(horizon);
        long total = 0;
        foreach (DemandSeries s in training)
        {
            total += Math.Max(0, s.Count - horizon);
        }

        if (total < 2L * options.MinRowsInLeaf)
        {
            return null;
        }

        bool[] keep = Sample(checked((int)total), options.MaxRows, seed, out int rows);
        int width = GbmFeatures.Count;
        double[] features = new double[rows * width];
        float[][] targets = new float[Resources.Count * anchors.Length][];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = new float[rows];
        }

        Replay(training, horizon, anchors, keep, features, targets, options.UseActivity);
        var boosters = new LightGbmBooster[Resources.Count * levels.Length * anchors.Length];
        try
        {
            foreach (Resource r in Resources.All)
            {
                for (int a = 0; a < anchors.Length; a++)
                {
                    using LightGbmDataset data = LightGbmDataset.FromMatrix(features, rows, width, options.Parameters(levels[0], seed));
                    data.SetLabels(targets[((int)r * anchors.Length) + a]);
                    for (int q = 0; q < levels.Length; q++)
                    {
                        boosters[((((int)r * levels.Length) + q) * anchors.Length) + a] = TrainOne(data, options, levels[q], seed);
                    }
                }
            }
        }
        catch
        {
            foreach (LightGbmBooster? b in boosters)
            {
                b?.Dispose();
            }

            throw;
        }

        return new GbmModel(anchors, levels.Length, boosters);
    }

    /// <summary>Which of <paramref name="total"/> origins to keep: all, or <paramref name="max"/> drawn without replacement.</summary>
    internal static bool[] Sample(int total, int max, int seed, out int kept)
    {
        bool[] keep = new bool[total];
        if (total <= max)
        {
            Array.Fill(keep, true);
            kept = total;
            return keep;
        }

        // Partial Fisher-Yates: the first max slots of a seeded shuffle.
        int[] order = new int[total];
        for (int i = 0; i < total; i++)
        {
            order[i] = i;
        }

        var rng = new Random(seed);
        for (int i = 0; i < max; i++)
        {
            int j = rng.Next(i, total);
            (order[i], order[j]) = (order[j], order[i]);
            keep[order[i]] = true;
        }

        kept = max;
        return keep;
    }

    private static void Replay(IReadOnlyList<DemandSeries> training, int horizon, int[] anchors, bool[] keep, double[] features, float[][] targets, bool useActivity)
    {
        int width = GbmFeatures.Count;
        int origin = 0, row = 0;
        foreach (DemandSeries s in training)
        {
            var history = new GbmHistory();
            int lastOrigin = s.Count - 1 - horizon;
            for (int t = 0; t <= lastOrigin; t++)
            {
                history.Push(t, s[t], useActivity && s.Activity is { } activity ? activity.At(t) : default);
                if (!keep[origin++])
                {
                    continue;
                }

                history.WriteFeatures(features.AsSpan(row * width, width));
                foreach (Resource r in Resources.All)
                {
                    ReadOnlySpan<double> values = s.Values(r);
                    double now = history.Back(r, 0);
                    for (int a = 0; a < anchors.Length; a++)
                    {
                        targets[((int)r * anchors.Length) + a][row] = (float)(GbmFeatures.Normalise(r, values[t + anchors[a]]) - now);
                    }
                }

                row++;
            }
        }
    }

    private static LightGbmBooster TrainOne(LightGbmDataset data, GbmOptions options, double level, int seed)
    {
        string text;
        using (LightGbmBooster booster = LightGbmBooster.Create(data, options.Parameters(level, seed)))
        {
            for (int round = 0; round < options.Rounds; round++)
            {
                if (!booster.UpdateOneIteration())
                {
                    break;
                }
            }

            text = booster.SaveToString();
        }

        // Score with the parsed text, exactly what a saved and loaded forecaster will hold.
        return LightGbmBooster.LoadFromString(text, data.Columns);
    }
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Autopilot's percentile statistic S_pj (Rzadca et al., EuroSys 2020, §3.2) over an
/// <see cref="AutopilotWindow"/>; the peak, S_max, is <see cref="AutopilotWindow.Max"/>. For SM
/// fraction and bandwidth every step is a sample (the paper's per-interval CPU histograms, summed);
/// for VRAM each interval contributes its peak (the paper's per-interval memory peaks).
/// Allocation-free: the caller owns the bucket buffer.
/// </summary>
internal static class AutopilotStatistics
{
    /// <summary>
    /// Fills <paramref name="weights"/> with the paper's load-adjusted decayed histogram
    /// h[k] = b[k] · Σ_τ w[τ] · s[t−τ][k]: each sample counts the decay weight of its interval's age
    /// (<paramref name="decayByAge"/>) times its bucket's value b[k] (the bucket's upper end), so a
    /// percentile of h is a share of the load served rather than a share of time.
    /// </summary>
    public static void FillLoadAdjusted(AutopilotWindow window, Resource resource, ReadOnlySpan<double> decayByAge, Span<double> weights)
    {
        ExponentialBuckets buckets = BaselineBuckets.For(resource);
        weights.Clear();
        if (resource != Resource.Vram)
        {
            for (int i = 0; i < window.Count; i++)
            {
                int k = window.BucketAt(i, resource);
                weights[k] += decayByAge[window.AgeAt(i)] * buckets.Upper(k);
            }

            return;
        }

        // Samples are in step order, so each interval's samples are contiguous: one peak per run.
        // Buckets grow with the value, so the peak's bucket is the largest bucket of the run.
        for (int i = 0; i < window.Count;)
        {
            int age = window.AgeAt(i);
            int peak = 0;
            for (; i < window.Count && window.AgeAt(i) == age; i++)
            {
                peak = Math.Max(peak, window.BucketAt(i, resource));
            }

            weights[peak] += decayByAge[age] * buckets.Upper(peak);
        }
    }

    /// <summary>
    /// The <paramref name="percentile"/> (0..1) of a bucket histogram: the value b[k] of the first
    /// bucket at which the cumulative weight reaches that share of the total (0 when empty).
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> weights, ExponentialBuckets buckets, double percentile)
    {
        double total = 0;
        int last = -1;
        for (int k = 0; k < weights.Length; k++)
        {
            if (weights[k] > 0)
            {
                total += weights[k];
                last = k;
            }
        }

        if (last < 0)
        {
            return 0;
        }

        double threshold = percentile * total;
        double partial = 0;
        int bucket = 0;
        for (; bucket < last; bucket++)
        {
            partial += weights[bucket];
            if (partial >= threshold)
            {
                break;
            }
        }

        return buckets.Upper(bucket);
    }
}

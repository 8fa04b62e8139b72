namespace Gpupredict.Forecasting.Conformal;

/// <summary>
/// The central intervals a set of quantile levels defines: level q paired with level L-1-q (0.1 with
/// 0.9, 0.01 with 0.99), each pair's nominal coverage being the difference of its levels.
/// </summary>
internal static class IntervalPairs
{
    /// <summary>Number of pairs: levels below the middle.</summary>
    public static int Count(ReadOnlySpan<double> levels) => levels.Length / 2;

    /// <summary>Nominal coverage of pair <paramref name="p"/>: levels[L-1-p] - levels[p].</summary>
    public static double Coverage(ReadOnlySpan<double> levels, int p) => levels[levels.Length - 1 - p] - levels[p];

    /// <summary>Fails unless every pair is symmetric around 0.5 (to 1e-9): conformal adjustment needs that.</summary>
    public static void RequireSymmetric(ReadOnlySpan<double> levels)
    {
        for (int p = 0; p < Count(levels); p++)
        {
            double lo = levels[p], hi = levels[levels.Length - 1 - p];
            if (Math.Abs(lo + hi - 1) > 1e-9)
            {
                throw new ArgumentException($"conformal calibration needs levels symmetric around 0.5; {lo} pairs with {hi}", nameof(levels));
            }
        }
    }
}

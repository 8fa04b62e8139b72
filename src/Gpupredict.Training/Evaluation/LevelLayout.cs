namespace Gpupredict.Training.Evaluation;

/// <summary>Where, among a forecaster's quantile levels, the median and the central intervals are.</summary>
/// <param name="Levels">The levels, increasing.</param>
/// <param name="Median">Index of the level closest to 0.5 (the lower one on a tie).</param>
/// <param name="Interval80">Indices of levels 0.1 and 0.9, or null when either is missing.</param>
/// <param name="Interval98">Indices of levels 0.01 and 0.99, or null when either is missing.</param>
internal sealed record LevelLayout(double[] Levels, int Median, (int Low, int High)? Interval80, (int Low, int High)? Interval98)
{
    // Levels come from configuration as decimals; 0.1 written twice must match however it was computed.
    private const double Tolerance = 1e-9;

    public static LevelLayout Of(ReadOnlySpan<double> levels)
    {
        int median = 0;
        for (int q = 1; q < levels.Length; q++)
        {
            if (Math.Abs(levels[q] - 0.5) < Math.Abs(levels[median] - 0.5))
            {
                median = q;
            }
        }

        return new LevelLayout(levels.ToArray(), median, Interval(levels, 0.1, 0.9), Interval(levels, 0.01, 0.99));
    }

    private static (int Low, int High)? Interval(ReadOnlySpan<double> levels, double low, double high)
    {
        int lo = IndexOf(levels, low);
        int hi = IndexOf(levels, high);
        return lo >= 0 && hi >= 0 ? (lo, hi) : null;
    }

    private static int IndexOf(ReadOnlySpan<double> levels, double level)
    {
        for (int q = 0; q < levels.Length; q++)
        {
            if (Math.Abs(levels[q] - level) <= Tolerance)
            {
                return q;
            }
        }

        return -1;
    }
}

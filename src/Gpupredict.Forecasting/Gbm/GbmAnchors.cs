namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// The horizon steps that get their own boosters: 1, 5 and the last (distinct, ≤ the horizon).
/// Steps between two anchors are interpolated linearly in the normalised space: demand a few
/// steps apart changes smoothly enough in expectation, and this keeps a fit to 3 boosters per
/// resource and level instead of one per step.
/// </summary>
internal static class GbmAnchors
{
    /// <summary>The anchor steps (1-based, increasing) for <paramref name="horizon"/>.</summary>
    public static int[] For(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        return [.. new SortedSet<int> { 1, Math.Min(5, horizon), horizon }];
    }

    /// <summary>
    /// Interpolates, for 1-based step <paramref name="step"/>, between the values at the anchors
    /// (<paramref name="atAnchor"/>[a] belongs to <paramref name="anchors"/>[a]).
    /// </summary>
    public static double Interpolate(ReadOnlySpan<int> anchors, ReadOnlySpan<double> atAnchor, int step)
    {
        for (int a = 0; a < anchors.Length; a++)
        {
            if (anchors[a] == step)
            {
                return atAnchor[a];
            }

            if (anchors[a] > step)
            {
                if (a == 0)
                {
                    return atAnchor[0];
                }

                double t = (double)(step - anchors[a - 1]) / (anchors[a] - anchors[a - 1]);
                return atAnchor[a - 1] + (t * (atAnchor[a] - atAnchor[a - 1]));
            }
        }

        return atAnchor[^1];
    }
}

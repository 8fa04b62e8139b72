namespace Gpupredict.Forecasting.Ensemble;

/// <summary>
/// The ensemble's weighting rule for one cell (one resource at one horizon step) of one
/// application, from each member's recent pinball loss there.
/// </summary>
/// <remarks>
/// The anchor (member 0) weighs 1; member m weighs exp(a / T) − 1 when its advantage
/// a = (loss_anchor − loss_m − z × se) / loss_anchor − margin is positive, 0 otherwise; then the
/// weights are normalised. se is the standard error of the recent mean of the per-point loss gap
/// (loss_anchor − loss_m at each scored point) and z is <see cref="EnsembleOptions.Confidence"/>:
/// what counts is a lower confidence bound of the member's advantage, so a few lucky points (one
/// burst a member caught) are not evidence, as a Diebold–Mariano test of equal accuracy would say.
/// Why this rule rather than plain Hedge or follow-the-leader:
/// <list type="bullet">
/// <item>It starts at the anchor and moves only on evidence: before <see cref="EnsembleOptions.MinPoints"/>
/// scored points, or when no member beats the anchor by the margin, the anchor has all the weight
/// (Hedge from uniform weights would mix unproven members into a new application's first forecasts).</item>
/// <item>A member whose recent loss is not below the anchor's by the margin gets exactly 0. Pinball
/// loss is convex in the forecast, so the mixed forecast's loss is at most the weighted mean of the
/// members' losses: on the recent points, never above the anchor's.</item>
/// <item>It is continuous in the losses (a member enters at weight 0 as its advantage crosses the
/// margin), so the served forecast does not flap between leaders the way follow-the-leader does when
/// two members are close.</item>
/// <item>It is scale-free (advantage relative to the anchor's loss), so one margin and one
/// temperature suit every resource, data source and step length.</item>
/// </list>
/// </remarks>
internal static class EnsembleWeights
{
    // e^50 outweighs any anchor; the cap keeps a tiny temperature from overflowing to infinity.
    private const double MaxExponent = 50;

    /// <summary>Writes the members' weights for one cell into <paramref name="weights"/> (summing to 1).</summary>
    /// <param name="losses">Each member's recent mean pinball loss in the cell; member 0 is the anchor.</param>
    /// <param name="squaredGaps">Each member's recent mean of (its loss − the anchor's loss)² per point, weighted as <paramref name="losses"/>.</param>
    /// <param name="points">Points scored in the cell so far.</param>
    /// <param name="options">Margin, temperature, confidence, half-life and the points needed.</param>
    /// <param name="weights">One weight per member.</param>
    public static void Weigh(ReadOnlySpan<double> losses, ReadOnlySpan<double> squaredGaps, int points, EnsembleOptions options, Span<double> weights) =>
        Weigh(losses, squaredGaps, points, options, MaxEffectivePoints(options), weights);

    /// <summary>
    /// The most points a recent mean counts as: the points' weights sum to 1 and their squares to
    /// 1 / n, with n = the points while the mean is a running one and (2 − rate) / rate once it is
    /// exponentially weighted.
    /// </summary>
    public static double MaxEffectivePoints(EnsembleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double rate = options.Rate;
        return (2 - rate) / rate;
    }

    /// <summary>As the other overload, with <see cref="MaxEffectivePoints"/> computed once by the caller (the tick weighs every cell of every application).</summary>
    public static void Weigh(ReadOnlySpan<double> losses, ReadOnlySpan<double> squaredGaps, int points, EnsembleOptions options, double maxEffectivePoints, Span<double> weights)
    {
        weights.Clear();
        weights[0] = 1;
        double anchor = losses[0];

        // An anchor with no loss cannot be beaten (and a ratio to it means nothing).
        if (points < options.MinPoints || !(anchor > 0))
        {
            return;
        }

        double effective = Math.Min(points, maxEffectivePoints);
        double total = 1;
        for (int m = 1; m < losses.Length; m++)
        {
            double gap = anchor - losses[m];
            double error = Math.Sqrt(Math.Max(0, squaredGaps[m] - (gap * gap)) / effective);
            double advantage = ((gap - (options.Confidence * error)) / anchor) - options.Margin;
            if (advantage > 0)
            {
                weights[m] = Math.Exp(Math.Min(advantage / options.Temperature, MaxExponent)) - 1;
                total += weights[m];
            }
        }

        if (total > 1)
        {
            for (int m = 0; m < weights.Length; m++)
            {
                weights[m] /= total;
            }
        }
    }
}

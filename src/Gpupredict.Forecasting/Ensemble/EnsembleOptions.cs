namespace Gpupredict.Forecasting.Ensemble;

/// <summary>
/// How the ensemble (<see cref="EnsembleForecaster"/>) weighs its members against its anchor (the
/// first member, <c>ewma</c> by default). Every loss is one application's recent pinball loss in one
/// cell (resource × horizon step), so the rule is the same for SM fractions and VRAM bytes.
/// </summary>
public sealed record EnsembleOptions
{
    /// <summary>
    /// How much lower than the anchor's a member's recent loss must be, beyond its
    /// <see cref="Confidence"/> bound, before it gets any weight, as a fraction of the anchor's loss,
    /// in [0, 1): 0.02 means 2 % lower. Noise is the confidence bound's job; the margin is the least
    /// gain worth leaving the anchor for.
    /// </summary>
    public double Margin { get; init; } = 0.02;

    /// <summary>
    /// How fast weight moves to a member as its advantage over the margin grows, as a fraction of the
    /// anchor's loss, &gt; 0: a member whose advantage is the margin plus one temperature carries
    /// e − 1 ≈ 1.7 times the anchor's weight, plus three temperatures about 19 times.
    /// </summary>
    public double Temperature { get; init; } = 0.05;

    /// <summary>
    /// How many standard errors of the recent loss gap a member's advantage must clear besides the
    /// margin, ≥ 0: 2 asks for about 98 % one-sided confidence that the member is better at all.
    /// </summary>
    public double Confidence { get; init; } = 2;

    /// <summary>Scored points after which a point's weight in a recent loss has halved, ≥ 1.</summary>
    public double HalfLife { get; init; } = 100;

    /// <summary>Scored points a cell needs before any member but the anchor can get weight there, ≥ 1.</summary>
    public int MinPoints { get; init; } = 50;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (!(Margin >= 0 && Margin < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "the margin must be a fraction in [0, 1)");
        }

        if (!(Temperature > 0 && double.IsFinite(Temperature)))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "the temperature must be finite and > 0");
        }

        if (!(Confidence >= 0 && double.IsFinite(Confidence)))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "the confidence must be finite and ≥ 0 standard errors");
        }

        if (!(HalfLife >= 1 && double.IsFinite(HalfLife)))
        {
            throw new ArgumentOutOfRangeException(nameof(HalfLife), HalfLife, "the half-life must be finite and ≥ 1 scored point");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinPoints, 1, nameof(MinPoints));
    }

    /// <summary>The weight of the newest point in a recent loss once more than 1 / rate points are in it: 1 − 2^(−1 / half-life).</summary>
    internal double Rate => 1 - Math.Pow(2, -1 / HalfLife);
}

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The Kubernetes VPA recommender's settings (recommender/logic/recommender.go and
/// model/aggregations_config.go) on the 10 ms time base. Time scale: VPA takes one usage sample per
/// container per minute (metrics-server resolution); here one sample is one step, so one VPA minute
/// maps to one step and VPA's 24 h — its half-life, its memory-peak interval and the "day" of its
/// confidence heuristic — maps to 1440 steps (14.4 s). That keeps what drives the histogram's
/// behaviour, the number of samples per half-life and per peak, exactly as in VPA (1440).
/// </summary>
public sealed record VpaParameters
{
    /// <summary>One VPA day (24 h of one-minute samples) in steps: 1440 (14.4 s).</summary>
    public const long DaySteps = 1440;

    /// <summary>Steps after which a sample weighs half as much; VPA: 24 h. Default <see cref="DaySteps"/>.</summary>
    public long HalfLifeSteps { get; init; } = DaySteps;

    /// <summary>Steps per VRAM peak interval (one peak sample per interval, as VPA's daily memory peaks). Default <see cref="DaySteps"/>.</summary>
    public long MemoryAggregationIntervalSteps { get; init; } = DaySteps;

    /// <summary>Steps of history that count as one "day" of confidence for the bounds' multipliers. Default <see cref="DaySteps"/>.</summary>
    public long ConfidenceIntervalSteps { get; init; } = DaySteps;

    /// <summary>Fraction added to every estimate (VPA's <c>--recommendation-margin-fraction</c>): 0.15.</summary>
    public double SafetyMargin { get; init; } = 0.15;

    /// <summary>Histogram percentile behind the lower bound: 0.5.</summary>
    public double LowerBoundPercentile { get; init; } = 0.5;

    /// <summary>Histogram percentile behind the target: 0.9.</summary>
    public double TargetPercentile { get; init; } = 0.9;

    /// <summary>Histogram percentile behind the upper bound: 0.95.</summary>
    public double UpperBoundPercentile { get; init; } = 0.95;

    /// <summary>VRAM bump after an "OOM" (usage above the upper bound): × 1.2.</summary>
    public double OomBumpRatio { get; init; } = 1.2;

    /// <summary>Smallest VRAM bump after an "OOM", in bytes: 100 MiB.</summary>
    public double OomMinBumpBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>
    /// Whether the bounds carry VPA's confidence multipliers: upper × (1 + 1/c), lower × (1 + 0.001/c)^−2,
    /// c = days of history. On by default, as in VPA; short histories then get a wide upper bound.
    /// </summary>
    public bool ConfidenceMultipliers { get; init; } = true;

    /// <summary>Throws when a value is out of range; the message names the field, the range and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        RequirePositive(HalfLifeSteps, nameof(HalfLifeSteps));
        RequirePositive(MemoryAggregationIntervalSteps, nameof(MemoryAggregationIntervalSteps));
        RequirePositive(ConfidenceIntervalSteps, nameof(ConfidenceIntervalSteps));
        if (!(SafetyMargin >= 0 && SafetyMargin <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(SafetyMargin), SafetyMargin, "the safety margin must be in [0, 10]");
        }

        if (!(LowerBoundPercentile > 0 && LowerBoundPercentile <= TargetPercentile && TargetPercentile <= UpperBoundPercentile && UpperBoundPercentile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetPercentile), $"percentiles must satisfy 0 < lower ≤ target ≤ upper ≤ 1; got {LowerBoundPercentile}, {TargetPercentile}, {UpperBoundPercentile}");
        }

        if (!(OomBumpRatio >= 1 && OomBumpRatio <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(OomBumpRatio), OomBumpRatio, "the OOM bump ratio must be in [1, 100]");
        }

        if (!(OomMinBumpBytes >= 0 && OomMinBumpBytes <= 1e13))
        {
            throw new ArgumentOutOfRangeException(nameof(OomMinBumpBytes), OomMinBumpBytes, "the minimum OOM bump must be in [0, 1e13] bytes");
        }
    }

    /// <summary>Writes every field, in declaration order.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(HalfLifeSteps);
        writer.Write(MemoryAggregationIntervalSteps);
        writer.Write(ConfidenceIntervalSteps);
        writer.Write(SafetyMargin);
        writer.Write(LowerBoundPercentile);
        writer.Write(TargetPercentile);
        writer.Write(UpperBoundPercentile);
        writer.Write(OomBumpRatio);
        writer.Write(OomMinBumpBytes);
        writer.Write(ConfidenceMultipliers);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    internal static VpaParameters Read(BinaryReader reader) => new()
    {
        HalfLifeSteps = reader.ReadInt64(),
        MemoryAggregationIntervalSteps = reader.ReadInt64(),
        ConfidenceIntervalSteps = reader.ReadInt64(),
        SafetyMargin = reader.ReadDouble(),
        LowerBoundPercentile = reader.ReadDouble(),
        TargetPercentile = reader.ReadDouble(),
        UpperBoundPercentile = reader.ReadDouble(),
        OomBumpRatio = reader.ReadDouble(),
        OomMinBumpBytes = reader.ReadDouble(),
        ConfidenceMultipliers = reader.ReadBoolean(),
    };

    private static void RequirePositive(long value, string field)
    {
        if (value is < 1 or > long.MaxValue / 1024)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be in [1, {long.MaxValue / 1024}] steps");
        }
    }
}

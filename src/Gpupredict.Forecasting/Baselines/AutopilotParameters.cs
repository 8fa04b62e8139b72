namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Settings of Autopilot's moving-window recommenders on the 10 ms time base. Time scale: the same
/// as the VPA baseline's (one minute of the original maps to one step, a day to 1440 steps), so the
/// two baselines differ in method, not in how much history they remember. Autopilot aggregates its
/// per-second samples into 5-minute histograms (CPU) or peaks (memory): 5 steps here. Its half-lives
/// are of the order of a day (12 h to 48 h depending on the job class): one day, 1440 steps, as VPA's.
/// The window is two half-lives (48 h, 2880 steps), so decay matters inside it (the oldest interval
/// weighs 1/4) while each application's ring stays at 2880 samples.
/// </summary>
public sealed record AutopilotParameters
{
    /// <summary>Steps per aggregation interval (Autopilot: 5 minutes): 5.</summary>
    public long AggregationIntervalSteps { get; init; } = 5;

    /// <summary>Intervals in the moving window, the current one included: 576 (48 h of 5-minute intervals, 2880 steps).</summary>
    public int WindowIntervals { get; init; } = 576;

    /// <summary>Steps after which an interval weighs half as much (S_pj only): 1440, one day.</summary>
    public long HalfLifeSteps { get; init; } = VpaParameters.DaySteps;

    /// <summary>The j of S_pj for SM fraction, a CPU-like load: 0.95.</summary>
    public double SmPercentile { get; init; } = 0.95;

    /// <summary>The j of S_pj for bandwidth, a CPU-like load: 0.95.</summary>
    public double BandwidthPercentile { get; init; } = 0.95;

    /// <summary>The j of S_pj for VRAM, memory: 0.98.</summary>
    public double VramPercentile { get; init; } = 0.98;

    /// <summary>Fraction added to the recommendation as a safety margin: 0.10.</summary>
    public double SafetyMargin { get; init; } = 0.10;

    /// <summary>The window in steps: the most samples an application's ring holds.</summary>
    public long WindowSteps => AggregationIntervalSteps * WindowIntervals;

    /// <summary>Throws when a value is out of range; the message names the field, the range and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (AggregationIntervalSteps is < 1 or > 1 << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(AggregationIntervalSteps), AggregationIntervalSteps, "the aggregation interval must be in [1, 2^20] steps");
        }

        if (WindowIntervals < 1 || WindowSteps > 1 << 22)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowIntervals), WindowIntervals, $"the window must hold 1 to 2^22 steps; it holds {WindowSteps}");
        }

        if (HalfLifeSteps is < 1 or > long.MaxValue / 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(HalfLifeSteps), HalfLifeSteps, "the half-life must be ≥ 1 step");
        }

        RequireLevel(SmPercentile, nameof(SmPercentile));
        RequireLevel(BandwidthPercentile, nameof(BandwidthPercentile));
        RequireLevel(VramPercentile, nameof(VramPercentile));
        if (!(SafetyMargin >= 0 && SafetyMargin <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(SafetyMargin), SafetyMargin, "the safety margin must be in [0, 10]");
        }
    }

    /// <summary>Writes every field, in declaration order.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(AggregationIntervalSteps);
        writer.Write(WindowIntervals);
        writer.Write(HalfLifeSteps);
        writer.Write(SmPercentile);
        writer.Write(BandwidthPercentile);
        writer.Write(VramPercentile);
        writer.Write(SafetyMargin);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    internal static AutopilotParameters Read(BinaryReader reader) => new()
    {
        AggregationIntervalSteps = reader.ReadInt64(),
        WindowIntervals = reader.ReadInt32(),
        HalfLifeSteps = reader.ReadInt64(),
        SmPercentile = reader.ReadDouble(),
        BandwidthPercentile = reader.ReadDouble(),
        VramPercentile = reader.ReadDouble(),
        SafetyMargin = reader.ReadDouble(),
    };

    private static void RequireLevel(double value, string field)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be in (0, 1]");
        }
    }
}

namespace Gpupredict.Forecasting.Baselines;

/// <summary>Settings of <see cref="ReactiveWindowForecaster"/> (VPA-like reactive sizing); validated before use.</summary>
public sealed record ReactiveWindowOptions
{
    /// <summary>Steps of 10 ms of history the statistics look back over; default 1000 (10 s).</summary>
    public int WindowSteps { get; init; } = 1000;

    /// <summary>The statistics are recomputed every this many observed steps; default 100 (1 s).</summary>
    public int RecomputeEverySteps { get; init; } = 100;

    /// <summary>Relative margin on both statistics, ≥ 0; default 0.15 (15 %, VPA's safety margin).</summary>
    public double Margin { get; init; } = 0.15;

    /// <summary>Percentile of SM use over the window that sizes the SM share, in (0, 1]; default 0.95.</summary>
    public double SmPercentile { get; init; } = 0.95;

    /// <summary>Factor the VRAM size grows by when use reaches it between recomputes, &gt; 1; default 1.2 (VPA's bump after an OOM).</summary>
    public double OomBump { get; init; } = 1.2;

    /// <summary>Throws when a setting is out of range; the message names the setting, range and value.</summary>
    public void Validate()
    {
        if (WindowSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSteps), WindowSteps, "expected at least 1 step");
        }

        if (RecomputeEverySteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RecomputeEverySteps), RecomputeEverySteps, "expected at least 1 step");
        }

        if (!(Margin >= 0 && double.IsFinite(Margin)))
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "expected a finite fraction ≥ 0");
        }

        if (!(SmPercentile > 0 && SmPercentile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SmPercentile), SmPercentile, "expected a fraction in (0, 1]");
        }

        if (!(OomBump > 1 && double.IsFinite(OomBump)))
        {
            throw new ArgumentOutOfRangeException(nameof(OomBump), OomBump, "expected a finite factor > 1");
        }
    }
}

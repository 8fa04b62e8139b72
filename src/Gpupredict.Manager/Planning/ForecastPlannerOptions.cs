namespace Gpupredict.Manager.Planning;

/// <summary>Settings of <see cref="ForecastPlanner"/>; validated before use.</summary>
public sealed record ForecastPlannerOptions
{
    /// <summary>The forecast quantile level granted, in (0, 1); default 0.99.</summary>
    public double UpperQuantile { get; init; } = 0.99;

    /// <summary>Steps of 10 ms a grant covers; the forecast's maximum over them is granted. Default 10 (100 ms).</summary>
    public int WindowSteps { get; init; } = 10;

    /// <summary>Relative headroom added to the quantile, ≥ 0; default 0.05 (5 %).</summary>
    public double Headroom { get; init; } = 0.05;

    /// <summary>A grant shrinks only when the want falls more than this fraction below it, in [0, 1); default 0.10.</summary>
    public double Hysteresis { get; init; } = 0.10;

    /// <summary>An SM share shrinks only when it falls by more than this absolute amount too, in [0, 1); default 0.02.</summary>
    public double SmHysteresisAbsolute { get; init; } = 0.02;

    /// <summary>Throws when a setting is out of range; the message names the setting, range and value.</summary>
    public void Validate()
    {
        if (!(UpperQuantile > 0 && UpperQuantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(UpperQuantile), UpperQuantile, "expected a quantile level in (0, 1)");
        }

        if (WindowSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSteps), WindowSteps, "expected at least 1 step");
        }

        if (!(Headroom >= 0 && double.IsFinite(Headroom)))
        {
            throw new ArgumentOutOfRangeException(nameof(Headroom), Headroom, "expected a finite fraction ≥ 0");
        }

        if (!(Hysteresis >= 0 && Hysteresis < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Hysteresis), Hysteresis, "expected a fraction in [0, 1)");
        }

        if (!(SmHysteresisAbsolute >= 0 && SmHysteresisAbsolute < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SmHysteresisAbsolute), SmHysteresisAbsolute, "expected a fraction in [0, 1)");
        }
    }
}

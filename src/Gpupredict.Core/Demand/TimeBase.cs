namespace Gpupredict.Core.Demand;

/// <summary>
/// The step gpupredictd observes, forecasts and allocates at: 10 ms. It is the default, not an
/// assumption: a series (<see cref="DemandSeries.StepNs"/>) and a node carry their own step, and
/// code that turns steps into time takes it from them.
/// </summary>
public static class TimeBase
{
    /// <summary>The daemon's step in nanoseconds (10 ms).</summary>
    public const long StepNs = 10_000_000;

    /// <summary>Steps of <see cref="StepNs"/> per second.</summary>
    public const int StepsPerSecond = (int)(1_000_000_000 / StepNs);

    /// <summary>The number of whole steps of <paramref name="stepNs"/> that cover <paramref name="duration"/>, rounded up (0 for a zero duration).</summary>
    public static long StepsCovering(TimeSpan duration, long stepNs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepNs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Int128 ns = (Int128)duration.Ticks * 100;
        return (long)Int128.Min((ns + stepNs - 1) / stepNs, long.MaxValue);
    }
}

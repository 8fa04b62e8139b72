namespace Gpupredict.Core.Demand;

/// <summary>The time base of every series and forecast: fixed steps of 10 ms.</summary>
public static class TimeBase
{
    /// <summary>One step in nanoseconds (10 ms).</summary>
    public const long StepNs = 10_000_000;

    /// <summary>Steps per second.</summary>
    public const int StepsPerSecond = 100;

    /// <summary>The step that contains the instant <paramref name="ns"/> for a series starting at <paramref name="originNs"/>.</summary>
    public static long StepOf(long ns, long originNs) => (ns - originNs) / StepNs;
}

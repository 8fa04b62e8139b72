namespace Gpupredict.Enforcement.Interposer;

/// <summary>
/// The real <see cref="IStepClock"/>: step <c>anchorStep</c> begins at the moment of construction,
/// and each step lasts <c>stepNs</c> ns. Time comes from <see cref="TimeProvider.GetTimestamp"/>,
/// which for <see cref="TimeProvider.System"/> on Linux is <see cref="System.Diagnostics.Stopwatch"/>,
/// i.e. clock_gettime(CLOCK_MONOTONIC) — the clock the interposer compares the window with.
/// </summary>
public sealed class MonotonicStepClock : IStepClock
{
    /// <summary>The planner's step, 10 ms in ns.</summary>
    public const long DefaultStepNs = Core.Demand.TimeBase.StepNs;

    private readonly TimeProvider _time;
    private readonly long _anchorStep;
    private readonly ulong _anchorNs;

    /// <summary>A clock on which step <paramref name="anchorStep"/> begins now.</summary>
    /// <param name="anchorStep">The planner's current step.</param>
    /// <param name="stepNs">Length of one step in ns (positive).</param>
    /// <param name="time">The time source; <see cref="TimeProvider.System"/> when null.</param>
    public MonotonicStepClock(long anchorStep, long stepNs = DefaultStepNs, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepNs);
        _time = time ?? TimeProvider.System;
        _anchorStep = anchorStep;
        StepNs = stepNs;
        _anchorNs = NowNs();
    }

    /// <summary>Length of one step in ns.</summary>
    public long StepNs { get; }

    /// <inheritdoc />
    public ulong StepStartNs(long step)
    {
        // Saturating arithmetic: a step far before the anchor is "long ago" (0), far after is "never".
        Int128 ns = (Int128)_anchorNs + (((Int128)step - _anchorStep) * StepNs);
        return ns <= 0 ? 0 : ns >= ulong.MaxValue ? ulong.MaxValue : (ulong)ns;
    }

    /// <inheritdoc />
    public ulong NowNs()
    {
        long ticks = _time.GetTimestamp();
        long frequency = _time.TimestampFrequency;
        return ticks <= 0 ? 0 : (ulong)((Int128)ticks * 1_000_000_000 / frequency);
    }
}

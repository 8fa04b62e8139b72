namespace Gpupredict.Interop.Native;

/// <summary>
/// CLOCK_MONOTONIC, the clock the interposer stamps events and pre-map windows with, and an
/// absolute sleep on it (clock_nanosleep with TIMER_ABSTIME): a loop that sleeps until "start +
/// n * period" never drifts, however long each iteration took.
/// </summary>
public static unsafe class MonotonicClock
{
    /// <summary>Now, ns.</summary>
    public static long NowNs() => LibcSockets.MonotonicNs();

    /// <summary>Sleeps until CLOCK_MONOTONIC reaches <paramref name="deadlineNs"/> (returns at once when it has); resumes after signals.</summary>
    public static void SleepUntil(long deadlineNs)
    {
        var t = new LibcSockets.TimeSpec { Seconds = deadlineNs / 1_000_000_000, Nanoseconds = deadlineNs % 1_000_000_000 };
        while (LibcSockets.ClockNanosleep(LibcSockets.ClockMonotonic, LibcSockets.TimerAbstime, &t, null) == LibcSockets.EIntr)
        {
        }
    }
}

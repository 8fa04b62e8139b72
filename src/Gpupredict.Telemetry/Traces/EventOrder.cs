using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>Sorts events by start time, keeping the trace's order among equal timestamps.</summary>
internal static class EventOrder
{
    /// <summary>Sorts <paramref name="events"/> in place, stably, by <see cref="GpuEvent.TimestampNs"/>.</summary>
    public static void SortStable(GpuEvent[] events)
    {
        if (IsSorted(events))
        {
            return;
        }

        // Array.Sort is unstable; the key pairs the time with the original index so equal times keep order.
        var keys = new (ulong Time, int Index)[events.Length];
        for (int i = 0; i < events.Length; i++)
        {
            keys[i] = (events[i].TimestampNs, i);
        }

        Array.Sort(keys, events);
    }

    /// <summary>True when the events are in non-decreasing start order.</summary>
    public static bool IsSorted(ReadOnlySpan<GpuEvent> events)
    {
        for (int i = 1; i < events.Length; i++)
        {
            if (events[i].TimestampNs < events[i - 1].TimestampNs)
            {
                return false;
            }
        }

        return true;
    }
}

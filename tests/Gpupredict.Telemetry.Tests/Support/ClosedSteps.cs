using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>
/// Arrays for the values a <see cref="StreamingAggregator"/> hands out, slot 0 = step <see cref="FirstStep"/>;
/// filled by one close or by several that continue where the last stopped.
/// </summary>
internal sealed class ClosedSteps(long firstStep, int count)
{
    public long FirstStep { get; } = firstStep;

    public double[] Sm { get; } = new double[count];

    public double[] Bandwidth { get; } = new double[count];

    public double[] Vram { get; } = new double[count];

    public double[] Activity { get; } = new double[count * ActivitySeries.Channels];

    /// <summary>Closes the aggregator's open steps before <paramref name="step"/> into new arrays.</summary>
    public static ClosedSteps Close(StreamingAggregator aggregator, long step)
    {
        var closed = new ClosedSteps(aggregator.NextStep, (int)Math.Max(0, step - aggregator.NextStep));
        Assert.Equal(closed.Sm.Length, closed.CloseThrough(aggregator, step));
        return closed;
    }

    /// <summary>Every sorted event pushed into a fresh aggregator on <paramref name="originNs"/>, then all closed at once.</summary>
    public static ClosedSteps OneClose(ReadOnlySpan<GpuEvent> events, ulong originNs, int steps)
    {
        var aggregator = new StreamingAggregator(originNs, steps);
        foreach (ref readonly GpuEvent e in events)
        {
            aggregator.Push(e);
        }

        return Close(aggregator, steps);
    }

    /// <summary>Closes up to <paramref name="step"/> into the slots from the aggregator's next step on.</summary>
    public int CloseThrough(StreamingAggregator aggregator, long step)
    {
        int from = (int)(aggregator.NextStep - FirstStep);
        return aggregator.Close(step, Sm.AsSpan(from), Bandwidth.AsSpan(from), Vram.AsSpan(from), Activity.AsSpan(from * ActivitySeries.Channels));
    }

    public double this[int slot, ActivityChannel channel] => Activity[(slot * ActivitySeries.Channels) + (int)channel];

    /// <summary>Every double equal, bit for bit.</summary>
    public void AssertBitIdentical(ClosedSteps expected, string label)
    {
        BitIdentical.Equal(expected.Sm, Sm, $"{label}, sm", 1);
        BitIdentical.Equal(expected.Bandwidth, Bandwidth, $"{label}, bandwidth", 1);
        BitIdentical.Equal(expected.Vram, Vram, $"{label}, vram", 1);
        BitIdentical.Equal(expected.Activity, Activity, $"{label}, activity", ActivitySeries.Channels);
    }
}

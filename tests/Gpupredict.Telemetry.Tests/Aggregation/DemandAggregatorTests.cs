using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>The 10 ms arithmetic on tiny hand-made traces; times are ms after a step boundary.</summary>
public sealed class DemandAggregatorTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Aggregate_OverlappingKernels_CountsUnionOnce()
    {
        // [2, 6) on stream 7 and [4, 9) on stream 8: union [2, 9) = 7 ms of 10 -> 0.7 (not 4 + 5 = 0.9).
        DemandSeries s = Single(Kernel(2, 6, stream: 7), Kernel(4, 9, stream: 8));
        Assert.Equal(1, s.Count);
        Assert.Equal(0.7, s[0].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_FullyConcurrentKernels_NeverExceedsOne()
    {
        // Three kernels covering the whole step on three streams: union 10 ms -> 1.0, not 3.0.
        DemandSeries s = Single(Kernel(0, 10, 1), Kernel(0, 10, 2), Kernel(0, 10, 3));
        Assert.Equal(1.0, s[0].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_KernelStraddlingBoundary_SplitsByTime()
    {
        // [8, 13): 2 ms in step 0 -> 0.2, 3 ms in step 1 -> 0.3.
        DemandSeries s = Single(Kernel(8, 13));
        Assert.Equal(2, s.Count);
        Assert.Equal(0.2, s[0].SmFraction, Tolerance);
        Assert.Equal(0.3, s[1].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_DisjointKernelsInOneStep_AddUp()
    {
        // [1, 2) + [3, 5) + nested [3.5, 4.5) (inside the second) = 1 + 2 = 3 ms -> 0.3.
        DemandSeries s = Single(Kernel(1, 2), Kernel(3, 5), Kernel(3.5, 4.5));
        Assert.Equal(0.3, s[0].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_CopyStraddlingBoundary_SpreadsBytesProportionally()
    {
        // 1,000,000 B over [5, 15): 500,000 B in each step; / 0.01 s = 50,000,000 B/s each.
        DemandSeries s = Single(Copy(5, 15, 1_000_000));
        Assert.Equal(50_000_000, s[0].BandwidthBytesPerSecond, 1e-3);
        Assert.Equal(50_000_000, s[1].BandwidthBytesPerSecond, 1e-3);
    }

    [Fact]
    public void Aggregate_UnevenCopySplit_FollowsTime()
    {
        // 800 B over [9, 13): 1 ms in step 0 (200 B -> 20,000 B/s), 3 ms in step 1 (600 B -> 60,000 B/s).
        DemandSeries s = Single(Copy(9, 13, 800));
        Assert.Equal(20_000, s[0].BandwidthBytesPerSecond, 1e-6);
        Assert.Equal(60_000, s[1].BandwidthBytesPerSecond, 1e-6);
    }

    [Fact]
    public void Aggregate_InstantCopyAndMemset_AllBytesInTheirStep()
    {
        // An instant 4096 B copy at 12 ms and a 1000 B memset [13, 14): step 1 holds 5096 B -> 509,600 B/s.
        DemandSeries s = Single(Kernel(0, 1), Copy(12, 12, 4096), Copy(13, 14, 1000, GpuEventKind.Memset));
        Assert.Equal(0, s[0].BandwidthBytesPerSecond);
        Assert.Equal(509_600, s[1].BandwidthBytesPerSecond, 1e-6);
    }

    [Fact]
    public void Aggregate_FreeWithoutSize_PairsWithAllocationByAddress()
    {
        // Step 0: +100 @A, +50 @B -> 150. Step 1: free A (size 0, paired: -100) -> 50.
        // Step 2: free of an unknown address (size 0) releases nothing -> 50. Step 3: free B with size -> 0.
        DemandSeries s = Single(Alloc(1, 100, 0xA000), Alloc(2, 50, 0xB000), Free(15, 0xA000), Free(25, 0xC000), Free(35, 0xB000, bytes: 50));
        Assert.Equal([150.0, 50.0, 50.0, 0.0], s.Values(Resource.Vram).ToArray());
    }

    [Fact]
    public void Aggregate_VramAtStepEnd_IgnoresPeakInsideStep()
    {
        // +300 at 1 ms, freed at 4 ms: nothing held at the end of step 0; +20 at 6 ms stays.
        DemandSeries s = Single(Alloc(1, 300, 0x1), Free(4, 0x1), Alloc(6, 20, 0x2));
        Assert.Equal(20, s[0].VramBytes);
    }

    [Fact]
    public void Aggregate_FailedAllocation_HoldsNothing()
    {
        GpuEvent failed = Alloc(1, 1_000, 0x1) with { Flags = GpuEventFlags.Failed, Result = 2 };
        DemandSeries s = Single(failed, Alloc(2, 10, 0x2));
        Assert.Equal(10, s[0].VramBytes);
    }

    [Fact]
    public void Aggregate_MoreFreedThanHeld_StaysAtZero()
    {
        DemandSeries s = Single(Alloc(1, 10, 0x1), Free(2, 0x9, bytes: 500));
        Assert.Equal(0, s[0].VramBytes);
    }

    [Fact]
    public void Aggregate_TwoProcesses_ShareOriginAndLength()
    {
        // p1 runs at 3 ms, p2 at 27..31 ms: origin = step holding 3 ms (base), 4 steps for both.
        ImportedTrace trace = Trace(ObservedSignals.SmFromGpuIntervals, Process(1, Kernel(3, 4)), Process(2, Kernel(27, 31)));
        IReadOnlyList<DemandSeries> series = DemandAggregator.Aggregate(trace);
        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.Equal((long)BaseNs, s.OriginNs));
        Assert.All(series, s => Assert.Equal(4, s.Count));
        Assert.Equal([0.1, 0, 0, 0], series[0].Values(Resource.Sm).ToArray());
        Assert.Equal(0.3, series[1][2].SmFraction, Tolerance);
        Assert.Equal(0.1, series[1][3].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_FirstEventOffBoundary_FloorsOriginToTenMs()
    {
        // First event at base + 17.5 ms: origin = base + 10 ms; the event sits in step 0.
        DemandSeries s = Single(Kernel(17.5, 18.5));
        Assert.Equal((long)BaseNs + 10_000_000, s.OriginNs);
        Assert.Equal(0.1, s[0].SmFraction, Tolerance);
    }

    [Fact]
    public void Aggregate_ProcessWithoutEvents_GetsNoSeries()
    {
        ImportedTrace trace = Trace(ObservedSignals.SmFromGpuIntervals, Process(1), Process(2, Kernel(0, 1)));
        DemandSeries s = Assert.Single(DemandAggregator.Aggregate(trace));
        Assert.Equal(2, s.App.Pid);
    }

    [Fact]
    public void Aggregate_NoEventsAtAll_ReturnsEmpty()
    {
        Assert.Empty(DemandAggregator.Aggregate(Trace(ObservedSignals.None, Process(1))));
    }

    [Fact]
    public void Aggregate_ObservedSignals_CopiedFromTrace()
    {
        ImportedTrace trace = Trace(ObservedSignals.SmFromGpuIntervals, Process(1, Kernel(0, 1)));
        Assert.Equal(ObservedSignals.SmFromGpuIntervals, Assert.Single(DemandAggregator.Aggregate(trace)).Observed);
    }

    [Fact]
    public void Aggregate_UnsortedEvents_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => DemandAggregator.Aggregate(Trace(Kernel(5, 6), Kernel(1, 2))));
        Assert.Contains("not sorted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_ManyKernels_LinearInEventsAndSteps()
    {
        // 200,000 back-to-back 5 µs kernels (1 s): every step exactly full; must finish fast.
        var events = new GpuEvent[200_000];
        for (int i = 0; i < events.Length; i++)
        {
            events[i] = Kernel(i * 0.005, (i + 1) * 0.005);
        }

        DemandSeries s = Single(events);
        Assert.Equal(100, s.Count);
        Assert.All(s.Values(Resource.Sm).ToArray(), v => Assert.Equal(1.0, v, 1e-6));
    }

    private static DemandSeries Single(params GpuEvent[] events) => Assert.Single(DemandAggregator.Aggregate(Trace(events)));
}

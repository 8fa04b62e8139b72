using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>Busy union, copies, closes, late and clipped events of one streaming aggregator; times are ms after <see cref="BaseNs"/>, steps of 10 ms.</summary>
public sealed class StreamingAggregatorTests
{
    private const double Tolerance = 1e-12;

    // [2, 6) s7, [4, 9) s8, [12, 13), [8, 15): union [2, 15) -> step 0 [2, 10) = 0.8, step 1 [10, 15) = 0.5.
    private static readonly GpuEvent[] Overlapping = [Kernel(2, 6, 7), Kernel(4, 9, 8), Kernel(12, 13), Kernel(8, 15)];

    public static TheoryData<int[]> Orders() =>
    [
        [0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2], [2, 3, 0, 1], [3, 0, 2, 1],
    ];

    [Theory]
    [MemberData(nameof(Orders))]
    public void Push_KernelsInAnyOrder_SameUnionAsSorted(int[] order)
    {
        var aggregator = new StreamingAggregator(BaseNs, 8);
        foreach (int i in order)
        {
            aggregator.Push(Overlapping[i]);
        }

        ClosedSteps closed = ClosedSteps.Close(aggregator, 2);
        Assert.Equal(0.8, closed.Sm[0], Tolerance);
        Assert.Equal(0.5, closed.Sm[1], Tolerance);
        closed.AssertBitIdentical(ClosedSteps.OneClose(Overlapping, BaseNs, 2), string.Join(",", order));
    }

    public static TheoryData<GpuEvent[], double> UnionCases() => new()
    {
        // Two streams: [2, 6) + [4, 9) = [2, 9) -> 7 ms = 0.7, not 4 + 5 = 0.9.
        { [Kernel(2, 6, 7), Kernel(4, 9, 8)], 0.7 },

        // Three whole-step kernels on three streams -> 1.0, not 3.0.
        { [Kernel(0, 10, 1), Kernel(0, 10, 2), Kernel(0, 10, 3)], 1.0 },

        // [1, 2) + [3, 5) + nested [3.5, 4.5) = 1 + 2 = 3 ms -> 0.3.
        { [Kernel(1, 2), Kernel(3, 5), Kernel(3.5, 4.5)], 0.3 },

        // Late bridge over three spans: [1, 2), [3, 4), [5, 6), then [1.5, 5.5) -> [1, 6) = 0.5.
        { [Kernel(5, 6), Kernel(3, 4), Kernel(1, 2), Kernel(1.5, 5.5)], 0.5 },

        // Touching [6, 8) then [2, 6) then [8, 9): one span [2, 9) -> 0.7.
        { [Kernel(6, 8), Kernel(2, 6), Kernel(8, 9)], 0.7 },

        // A gap between out-of-order spans stays a gap: [7, 8) then [1, 3) then [4, 5) -> 1 + 2 + 1 = 0.4.
        { [Kernel(7, 8), Kernel(1, 3), Kernel(4, 5)], 0.4 },

        // An end before the start is an instant: no busy time.
        { [Kernel(5, 3)], 0.0 },
    };

    [Theory]
    [MemberData(nameof(UnionCases))]
    public void Close_KernelUnion_CountsOverlapOnce(GpuEvent[] kernels, double expected)
    {
        var aggregator = new StreamingAggregator(BaseNs, 4);
        foreach (GpuEvent e in kernels)
        {
            aggregator.Push(e);
        }

        Assert.Equal(expected, ClosedSteps.Close(aggregator, 1).Sm[0], Tolerance);
    }

    [Fact]
    public void Close_KernelAcrossBoundary_RestCountedInNextClose()
    {
        // [8, 13): 2 ms in step 0 -> 0.2 at the first close; [10, 13) stays open and merges with [11, 14)
        // pushed after it: [10, 14) -> 0.4 at the second close.
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Kernel(8, 13));
        ClosedSteps first = ClosedSteps.Close(aggregator, 1);
        aggregator.Push(Kernel(11, 14));
        ClosedSteps second = ClosedSteps.Close(aggregator, 2);
        Assert.Equal([0.2], first.Sm);
        Assert.Equal(0.4, second.Sm[0], Tolerance);
        Assert.Equal(0, aggregator.LateEvents);
    }

    [Fact]
    public void Close_CopyAcrossBoundary_SpreadsByTimeOverCloses()
    {
        // 800 B over [9, 13): 1 ms in step 0 = 200 B -> 20,000 B/s; 3 ms in step 1 = 600 B -> 60,000 B/s.
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Copy(9, 13, 800));
        Assert.Equal(20_000, ClosedSteps.Close(aggregator, 1).Bandwidth[0], 1e-6);
        Assert.Equal(60_000, ClosedSteps.Close(aggregator, 2).Bandwidth[0], 1e-6);
    }

    [Fact]
    public void Push_LateEvents_CountedOnceAndOnlyTheirOpenPartAdded()
    {
        var aggregator = new StreamingAggregator(BaseNs, 8);
        ClosedSteps.Close(aggregator, 2);

        // Kernel [5, 25): [5, 20) = 15 ms falls in closed steps 0-1, [20, 25) -> step 2 = 0.5.
        aggregator.Push(Kernel(5, 25));

        // 1000 B over [15, 25): [15, 20) = 500 B lost, 500 B in step 2 -> 50,000 B/s.
        aggregator.Push(Copy(15, 25, 1000));

        // A launch at 3 ms: its step is closed, not counted anywhere.
        aggregator.Push(new GpuEvent { TimestampNs = Ms(3), EndNs = Ms(3), Kind = GpuEventKind.KernelLaunch });
        Assert.Empty(ClosedSteps.Close(aggregator, 2).Sm);

        ClosedSteps step2 = ClosedSteps.Close(aggregator, 3);
        Assert.Equal(0.5, step2.Sm[0], Tolerance);
        Assert.Equal(50_000, step2.Bandwidth[0], 1e-6);
        Assert.Equal(0, step2[0, ActivityChannel.Launches]);
        Assert.Equal(0, step2[0, ActivityChannel.Kernels]);
        Assert.Equal(0, step2[0, ActivityChannel.Transfers]);
        Assert.Equal(3, aggregator.LateEvents);
        Assert.Equal(15_000_000, aggregator.LateKernelNs);
        Assert.Equal(500, aggregator.LateTransferBytes, 1e-9);
        Assert.Equal(0, aggregator.ClippedEvents);
    }

    [Fact]
    public void Push_BeforeOrigin_IsLate()
    {
        // Origin at 10 ms; kernel [5, 15): [10, 15) -> step 0 = 0.5, 5 ms late.
        var aggregator = new StreamingAggregator(Ms(10), 4);
        aggregator.Push(Kernel(5, 15));
        aggregator.Push(new GpuEvent { TimestampNs = 0, EndNs = 1, Kind = GpuEventKind.SyncStream });
        Assert.Equal(0.5, ClosedSteps.Close(aggregator, 1).Sm[0], Tolerance);
        Assert.Equal(2, aggregator.LateEvents);
        Assert.Equal(5_000_000, aggregator.LateKernelNs);
    }

    [Fact]
    public void Push_BeyondMaxOpenSteps_ClippedAtTheBound()
    {
        // Three open steps: events may reach 30 ms. Kernel [25, 45) keeps [25, 30) -> step 2 = 0.5;
        // 2000 B over [25, 45) keeps 500 B -> 50,000 B/s; a launch at 35 ms is dropped whole.
        var aggregator = new StreamingAggregator(BaseNs, 3);
        aggregator.Push(Kernel(25, 45));
        aggregator.Push(Copy(25, 45, 2000));
        aggregator.Push(new GpuEvent { TimestampNs = Ms(35), EndNs = Ms(35), Kind = GpuEventKind.KernelLaunch });
        Assert.Equal(3, aggregator.ClippedEvents);

        // Once step 0 closes, the bound moves to 40 ms: a launch at 35 ms now counts, in step 3.
        ClosedSteps first = ClosedSteps.Close(aggregator, 1);
        aggregator.Push(new GpuEvent { TimestampNs = Ms(35), EndNs = Ms(35), Kind = GpuEventKind.KernelLaunch });
        ClosedSteps rest = ClosedSteps.Close(aggregator, 5);
        Assert.Equal(0, first.Sm[0]);
        Assert.Equal([0.0, 0.5, 0.0, 0.0], rest.Sm);
        Assert.Equal(50_000, rest.Bandwidth[1], 1e-6);
        Assert.Equal(0, rest.Bandwidth[2]);
        Assert.Equal(1, rest[2, ActivityChannel.Launches]);
        Assert.Equal(3, aggregator.ClippedEvents);
        Assert.Equal(0, aggregator.LateEvents);
    }

    [Fact]
    public void Push_OddValues_NeverThrowsAndStaysInRange()
    {
        var aggregator = new StreamingAggregator(BaseNs, 4);
        GpuEvent[] odd =
        [
            Kernel(5, 3),                                                                   // end before start: instant
            Copy(7, 2, 100),                                                                // instant copy: all 100 B in step 0
            new() { TimestampNs = Ms(1), EndNs = ulong.MaxValue, Kind = GpuEventKind.KernelExec },   // to the end of time: clipped
            new() { TimestampNs = ulong.MaxValue, EndNs = 0, Kind = GpuEventKind.MemcpyDtoH, Bytes = ulong.MaxValue },
            new() { TimestampNs = 0, EndNs = ulong.MaxValue, Kind = GpuEventKind.Memset, Bytes = ulong.MaxValue },
            new() { TimestampNs = Ms(2), Kind = GpuEventKind.Free, Address = 0xDEAD, Bytes = ulong.MaxValue },
            new() { TimestampNs = Ms(3), Kind = (GpuEventKind)9999, Flags = (GpuEventFlags)ushort.MaxValue },
        ];
        foreach (GpuEvent e in odd)
        {
            aggregator.Push(e);
        }

        ClosedSteps closed = ClosedSteps.Close(aggregator, 4);
        // The endless kernel from 1 ms is cut at the bound (40 ms): [1, 10) = 0.9, then whole steps.
        Assert.Equal([0.9, 1.0, 1.0, 1.0], closed.Sm);
        Assert.All(closed.Bandwidth, v => Assert.True(double.IsFinite(v) && v >= 0));
        Assert.All(closed.Vram, v => Assert.Equal(0, v));
        Assert.Equal(3, aggregator.ClippedEvents);
        Assert.Equal(1, aggregator.LateEvents);
    }

    [Fact]
    public void Push_CallEndingPastTheBound_NotClipped()
    {
        // A launch call at 5 ms that returns at 50 ms (past the 40 ms bound) counts at 5 ms; nothing of it is cut.
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(new GpuEvent { TimestampNs = Ms(5), EndNs = Ms(50), Kind = GpuEventKind.KernelLaunch });
        Assert.Equal(1, ClosedSteps.Close(aggregator, 1)[0, ActivityChannel.Launches]);
        Assert.Equal(0, aggregator.ClippedEvents);
    }

    [Fact]
    public void Push_OneNanosecondSteps_WholeRangeOfTheClock()
    {
        // Steps of 1 ns from 0: more steps than a long counts. Kernel [2, 5) ns -> steps 2, 3, 4 busy.
        var aggregator = new StreamingAggregator(0, 8, stepNs: 1);
        aggregator.Push(new GpuEvent { TimestampNs = 2, EndNs = 5, Kind = GpuEventKind.KernelExec });
        Assert.Equal([0.0, 0.0, 1.0, 1.0, 1.0, 0.0], ClosedSteps.Close(aggregator, 6).Sm);
        Assert.Equal(0, aggregator.LateEvents);
    }

    [Fact]
    public void Push_OriginAtTheEndOfTheClock_DropsWhatCannotBeStepped()
    {
        // Not one whole 10 ms step fits after the origin: every event is clipped, closing still works.
        var aggregator = new StreamingAggregator(ulong.MaxValue - 1000, 4);
        aggregator.Push(new GpuEvent { TimestampNs = ulong.MaxValue - 10, EndNs = ulong.MaxValue, Kind = GpuEventKind.KernelExec });
        aggregator.Push(new GpuEvent { TimestampNs = ulong.MaxValue, Kind = GpuEventKind.Alloc, Bytes = 1, Address = 1 });
        ClosedSteps closed = ClosedSteps.Close(aggregator, 3);
        Assert.Equal([0.0, 0.0, 0.0], closed.Sm);
        Assert.Equal([0.0, 0.0, 0.0], closed.Vram);
        Assert.Equal(2, aggregator.ClippedEvents);
    }

    [Fact]
    public void Close_StepAlreadyClosed_WritesNothing()
    {
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Kernel(1, 2));
        ClosedSteps.Close(aggregator, 2);
        double[] untouched = [double.NaN];
        Assert.Equal(0, aggregator.Close(2, untouched, untouched, untouched, untouched));
        Assert.Equal(0, aggregator.Close(1, [], [], [], []));
        Assert.True(double.IsNaN(untouched[0]));
        Assert.Equal(2, aggregator.NextStep);
    }

    [Fact]
    public void Close_SpanTooShort_ThrowsAndClosesNothing()
    {
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Kernel(1, 2));
        double[] two = new double[2];
        Assert.Throws<ArgumentException>(() => aggregator.Close(2, two, two, two, new double[ActivitySeries.Channels]));
        Assert.Equal(0, aggregator.NextStep);
        Assert.Equal(0.1, ClosedSteps.Close(aggregator, 2).Sm[0], Tolerance);
    }

    [Fact]
    public void Close_LongQuietGap_ClosesEmptyStepsAndKeepsVramHeld()
    {
        // Nothing touched steps 1..999: they close with no busy time, no traffic, the 64 B still held.
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Alloc(1, 64, 0xA));
        ClosedSteps closed = ClosedSteps.Close(aggregator, 1000);
        Assert.All(closed.Sm, v => Assert.Equal(0, v));
        Assert.All(closed.Bandwidth, v => Assert.Equal(0, v));
        Assert.All(closed.Vram, v => Assert.Equal(64, v));
    }

    [Fact]
    public void Close_FiveMsSteps_ArithmeticFollowsTheStep()
    {
        // 5 ms steps (200 per second): kernel [2, 8) -> step 0 [2, 5) = 3/5 = 0.6, step 1 [5, 8) = 0.6;
        // an instant 1000 B copy at 6 ms -> step 1: 1000 B × 200 /s = 200,000 B/s.
        var aggregator = new StreamingAggregator(BaseNs, 4, stepNs: 5_000_000);
        aggregator.Push(Kernel(2, 8));
        aggregator.Push(Copy(6, 6, 1000));
        ClosedSteps closed = ClosedSteps.Close(aggregator, 2);
        Assert.Equal(0.6, closed.Sm[0], Tolerance);
        Assert.Equal(0.6, closed.Sm[1], Tolerance);
        Assert.Equal([0.0, 200_000.0], closed.Bandwidth);
        Assert.Equal(5_000_000, aggregator.StepNs);
    }

    [Fact]
    public void Constructor_BadStepOrBound_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingAggregator(BaseNs, 4, stepNs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingAggregator(BaseNs, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingAggregator(BaseNs, StreamingAggregator.MaxOpenStepsLimit + 1));
    }
}

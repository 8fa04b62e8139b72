using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>VRAM held and activity per step of one streaming aggregator; times are ms after <see cref="BaseNs"/>, steps of 10 ms.</summary>
public sealed class StreamingAggregatorMemoryTests
{
    [Fact]
    public void Push_FreeWithoutSizeAfterClose_PairsWithAllocationByAddress()
    {
        // Step 0: +100 @A, +50 @B -> 150 (closed). Step 1: free @A, size 0, paired across the close: -100 -> 50.
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Alloc(1, 100, 0xA000));
        aggregator.Push(Alloc(2, 50, 0xB000));
        ClosedSteps first = ClosedSteps.Close(aggregator, 1);
        aggregator.Push(Free(15, 0xA000));
        ClosedSteps second = ClosedSteps.Close(aggregator, 2);
        Assert.Equal([150.0], first.Vram);
        Assert.Equal([50.0], second.Vram);
        Assert.Equal(1, second[0, ActivityChannel.Frees]);
        Assert.Equal(100, second[0, ActivityChannel.FreedBytes]);
    }

    [Fact]
    public void Push_FreeArrivingBeforeItsAllocation_AppliedInTimeOrder()
    {
        // Arrival: free @A at 5 ms, then its alloc of 100 B at 2 ms. In time order the free releases the
        // 100 B: step 0 ends holding 0, with 100 B allocated and 100 B freed (not a leak of 100).
        var aggregator = new StreamingAggregator(BaseNs, 4);
        aggregator.Push(Free(5, 0xA000));
        aggregator.Push(Alloc(2, 100, 0xA000));
        ClosedSteps closed = ClosedSteps.Close(aggregator, 1);
        Assert.Equal([0.0], closed.Vram);
        Assert.Equal(100, closed[0, ActivityChannel.AllocatedBytes]);
        Assert.Equal(100, closed[0, ActivityChannel.FreedBytes]);
    }

    [Fact]
    public void Push_LateAllocation_HeldFromTheFirstOpenStepButNotCounted()
    {
        // Step 0 closed; an allocation of 100 B at 5 ms arrives: the memory is held, so step 1 ends at 100,
        // but the call is not counted in step 1's activity (it happened in step 0).
        var aggregator = new StreamingAggregator(BaseNs, 4);
        ClosedSteps.Close(aggregator, 1);
        aggregator.Push(Alloc(5, 100, 0xA000));
        ClosedSteps closed = ClosedSteps.Close(aggregator, 2);
        Assert.Equal([100.0], closed.Vram);
        Assert.Equal(0, closed[0, ActivityChannel.Allocations]);
        Assert.Equal(1, aggregator.LateEvents);
    }

    [Fact]
    public void Close_VramAtStepEnd_RunningTotalAcrossCloses()
    {
        // +300 @1 at 1 ms, freed at 4 ms, +20 @2 at 6 ms -> step 0 ends at 20; step 1: +30 @3 -> 50;
        // step 2: free @2 stating 500 B, more than the 50 held -> releases the 50 -> 0; step 3: nothing -> 0.
        var aggregator = new StreamingAggregator(BaseNs, 8);
        GpuEvent[] events = [Alloc(1, 300, 0x1), Free(4, 0x1), Alloc(6, 20, 0x2), Alloc(12, 30, 0x3), Free(25, 0x2, bytes: 500)];
        foreach (GpuEvent e in events)
        {
            aggregator.Push(e);
        }

        Assert.Equal([20.0, 50.0], ClosedSteps.Close(aggregator, 2).Vram);
        Assert.Equal([0.0, 0.0], ClosedSteps.Close(aggregator, 4).Vram);
    }

    public static TheoryData<GpuEvent, ActivityChannel, double> ActivityCases() => new()
    {
        { Call(12, GpuEventKind.KernelLaunch), ActivityChannel.Launches, 1 },
        { Kernel(12, 25), ActivityChannel.Kernels, 1 },
        { Kernel(12, 13) with { Flags = GpuEventFlags.Failed }, ActivityChannel.Kernels, 0 },
        { Call(12, GpuEventKind.SyncContext), ActivityChannel.Synchronizations, 1 },
        { Alloc(12, 4096, 0xA0), ActivityChannel.AllocatedBytes, 4096 },
        { Alloc(12, 4096, 0xA0, GpuEventFlags.Failed), ActivityChannel.Allocations, 1 },
        { Alloc(12, 4096, 0xA0, GpuEventFlags.Failed), ActivityChannel.AllocatedBytes, 0 },
        { Copy(12, 35, 1000, GpuEventKind.MemcpyHtoD), ActivityChannel.HostToDeviceBytes, 1000 },
        { Copy(12, 13, 300, GpuEventKind.MemcpyDtoH), ActivityChannel.DeviceToHostBytes, 300 },
        { Copy(12, 13, 70, GpuEventKind.MemcpyPeer), ActivityChannel.DeviceToDeviceBytes, 70 },
        { Copy(12, 13, 9, GpuEventKind.Memset), ActivityChannel.MemsetBytes, 9 },
        { Copy(12, 13, 0, GpuEventKind.Memset), ActivityChannel.Transfers, 1 },
    };

    [Theory]
    [MemberData(nameof(ActivityCases))]
    public void Close_Activity_CountedInTheStepWhereTheEventStarts(GpuEvent e, ActivityChannel channel, double expected)
    {
        // Every case starts at 12 ms: step 1 holds the count, steps 0 and 2 (where long ones still run) hold none.
        var aggregator = new StreamingAggregator(BaseNs, 8);
        aggregator.Push(e);
        ClosedSteps closed = ClosedSteps.Close(aggregator, 4);
        Assert.Equal(0, closed[0, channel]);
        Assert.Equal(expected, closed[1, channel]);
        Assert.Equal(0, closed[2, channel]);
    }

    private static GpuEvent Call(double atMs, GpuEventKind kind) => new() { TimestampNs = Ms(atMs), EndNs = Ms(atMs) + 1000, Kind = kind };
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>The event-derived activity channels the aggregator attaches to every series.</summary>
public sealed class ActivityAggregationTests
{
    [Fact]
    public void Aggregate_CountsCallsAndBytesInTheStepWhereEachStarts()
    {
        DemandSeries s = Single(
            Call(1, GpuEventKind.KernelLaunch),
            Call(2, GpuEventKind.KernelLaunch),
            Kernel(3, 14),
            Alloc(4, 4096, 0xA0),
            Copy(5, 6, 1000, GpuEventKind.MemcpyHtoD),
            Copy(12, 13, 300, GpuEventKind.MemcpyDtoH),
            Copy(15, 16, 70, GpuEventKind.MemcpyPeer),
            Copy(16, 17, 9, GpuEventKind.Memset),
            Free(18, 0xA0),
            Call(19, GpuEventKind.SyncStream));
        ActivitySeries a = Assert.IsType<ActivitySeries>(s.Activity);
        Assert.Equal(s.Count, a.Count);

        Assert.Equal(2, a[0, ActivityChannel.Launches]);
        Assert.Equal(1, a[0, ActivityChannel.Kernels]);
        Assert.Equal(0, a[1, ActivityChannel.Kernels]);
        Assert.Equal(1, a[0, ActivityChannel.Allocations]);
        Assert.Equal(4096, a[0, ActivityChannel.AllocatedBytes]);
        Assert.Equal(1000, a[0, ActivityChannel.HostToDeviceBytes]);
        Assert.Equal(1, a[0, ActivityChannel.Transfers]);
        Assert.Equal(300, a[1, ActivityChannel.DeviceToHostBytes]);
        Assert.Equal(70, a[1, ActivityChannel.DeviceToDeviceBytes]);
        Assert.Equal(9, a[1, ActivityChannel.MemsetBytes]);
        Assert.Equal(3, a[1, ActivityChannel.Transfers]);

        // The free has no size: the ledger pairs it with the allocation at 0xA0.
        Assert.Equal(1, a[1, ActivityChannel.Frees]);
        Assert.Equal(4096, a[1, ActivityChannel.FreedBytes]);
        Assert.Equal(1, a[1, ActivityChannel.Synchronizations]);
    }

    [Fact]
    public void Aggregate_FailedCallsCountButFailedOperationsDoNot()
    {
        DemandSeries s = Single(
            Alloc(1, 1 << 30, 0xB0, GpuEventFlags.Failed),
            Copy(2, 3, 500, GpuEventKind.MemcpyHtoD) with { Flags = GpuEventFlags.GpuTime | GpuEventFlags.Failed });
        ActivitySeries a = s.Activity!;
        Assert.Equal(1, a[0, ActivityChannel.Allocations]);
        Assert.Equal(0, a[0, ActivityChannel.AllocatedBytes]);
        Assert.Equal(0, a[0, ActivityChannel.Transfers]);
        Assert.Equal(0, a[0, ActivityChannel.HostToDeviceBytes]);
    }

    [Fact]
    public void Aggregate_FixtureTraces_ActivityTotalsMatchTheEvents()
    {
        foreach (string fixture in FixtureTraces.All)
        {
            ImportedTrace trace = FixtureTraces.Get(fixture);
            foreach (DemandSeries s in DemandAggregator.Aggregate(trace))
            {
                GpuEvent[] events = trace.Processes.Single(p => p.App == s.App).Events;
                ActivitySeries a = s.Activity!;
                Assert.Equal(events.Count(e => e.Kind == GpuEventKind.KernelLaunch), a.Total(ActivityChannel.Launches));
                Assert.Equal(events.Count(e => e.Kind == GpuEventKind.KernelExec && !Failed(e)), a.Total(ActivityChannel.Kernels));
                Assert.Equal(events.Count(e => e.Kind.IsTransfer() && !Failed(e)), a.Total(ActivityChannel.Transfers));
                double copied = events.Where(e => e.Kind.IsTransfer() && !Failed(e)).Sum(e => (double)e.Bytes);
                double byDirection = a.Total(ActivityChannel.HostToDeviceBytes) + a.Total(ActivityChannel.DeviceToHostBytes)
                    + a.Total(ActivityChannel.DeviceToDeviceBytes) + a.Total(ActivityChannel.MemsetBytes);
                Assert.Equal(copied, byDirection, 1e-6 * Math.Max(1, copied));
            }
        }
    }

    [Fact]
    public void Head_KeepsActivityAligned()
    {
        DemandSeries s = Single(Call(1, GpuEventKind.KernelLaunch), Call(25, GpuEventKind.KernelLaunch));
        DemandSeries head = s.Head(2);
        Assert.Equal(2, head.Activity!.Count);
        Assert.Equal(1, head.Activity.Total(ActivityChannel.Launches));
    }

    [Fact]
    public void ActivitySeries_RejectsNegativeOrNonFiniteOrRaggedValues()
    {
        Assert.Throws<ArgumentException>(() => new ActivitySeries(new double[ActivitySeries.Channels + 1]));
        double[] negative = new double[ActivitySeries.Channels];
        negative[3] = -1;
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ActivitySeries(negative));
        Assert.Contains("Frees", e.Message, StringComparison.Ordinal);
        double[] nan = new double[ActivitySeries.Channels];
        nan[0] = double.NaN;
        Assert.Throws<ArgumentException>(() => new ActivitySeries(nan));
    }

    private static bool Failed(GpuEvent e) => (e.Flags & GpuEventFlags.Failed) != 0;

    private static GpuEvent Call(double atMs, GpuEventKind kind) => new()
    {
        TimestampNs = Ms(atMs),
        EndNs = Ms(atMs) + 1000,
        Kind = kind,
    };

    private static DemandSeries Single(params GpuEvent[] events) => Assert.Single(DemandAggregator.Aggregate(
        new ImportedTrace("test", "hand-made", [new TraceProcess(new AppId(1, BaseNs), "p", events)], ObservedSignals.SmFromGpuIntervals | ObservedSignals.BandwidthFromCopies | ObservedSignals.VramFromAllocations, [])));
}

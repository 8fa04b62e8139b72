using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>The event pump's contract: a warmed aggregator allocates nothing per event nor per close.</summary>
public sealed class StreamingAggregatorAllocationTests
{
    private const int Rounds = 50;

    [Fact]
    public void PushAndClose_SteadyState_AllocateNothing()
    {
        var aggregator = new StreamingAggregator(BaseNs, 16);
        double[] sm = new double[8];
        double[] bandwidth = new double[8];
        double[] vram = new double[8];
        double[] activity = new double[8 * ActivitySeries.Channels];

        // Two warm rounds grow every buffer (and JIT the code); the measured ones repeat the same shape later in time.
        long round = 0;
        for (; round < 2; round++)
        {
            PushRound(aggregator, round);
            aggregator.Close((round + 1) * 4, sm, bandwidth, vram, activity);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (; round < 2 + Rounds; round++)
        {
            PushRound(aggregator, round);
            aggregator.Close((round + 1) * 4, sm, bandwidth, vram, activity);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, aggregator.LateEvents);
    }

    /// <summary>
    /// 4 steps (40 ms) of events from step 4 × <paramref name="round"/>, out of order: kernels on three streams,
    /// copies across boundaries, launches, syncs, and allocations freed by address before their allocation arrives.
    /// </summary>
    private static void PushRound(StreamingAggregator aggregator, long round)
    {
        double t0 = round * 40;
        for (int i = 39; i >= 0; i--)
        {
            double t = t0 + i;
            aggregator.Push(Kernel(t + 0.1, t + 0.9, (ulong)(i % 3)));
            aggregator.Push(Copy(t + 0.5, t + 1.5, 4096, GpuEventKind.MemcpyHtoD));
            aggregator.Push(new GpuEvent { TimestampNs = Ms(t), EndNs = Ms(t + 0.01), Kind = GpuEventKind.KernelLaunch });
            aggregator.Push(Free(t + 0.7, 0x1000 + (ulong)i));
            aggregator.Push(Alloc(t + 0.2, 1 << 20, 0x1000 + (ulong)i));
            aggregator.Push(new GpuEvent { TimestampNs = Ms(t + 0.95), EndNs = Ms(t + 0.99), Kind = GpuEventKind.SyncStream });
        }
    }
}

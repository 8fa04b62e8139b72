using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using static Gpupredict.Telemetry.Tests.Support.Events;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>
/// The streaming aggregator's answers do not depend on how its input is cut: closes at any points
/// give the same doubles as one close, and any arrival order within the open steps the same busy union.
/// Seeded random mixes (<see cref="RandomTrace"/>) stand in for a property test: CsCheck is not referenced.
/// </summary>
public sealed class StreamingAggregatorEquivalenceTests
{
    [Fact]
    public void Close_IncrementalClosesOverSortedEvents_BitIdenticalToOneClose()
    {
        for (int seed = 1; seed <= 60; seed++)
        {
            GpuEvent[] events = RandomTrace.Sorted(seed, 300, 150);
            int steps = StepsCovering(events);
            ClosedSteps once = ClosedSteps.OneClose(events, BaseNs, steps);

            // Before each event, now and then close a random number of the steps that no later event starts in.
            var random = new Random(seed);
            var aggregator = new StreamingAggregator(BaseNs, steps);
            var pieces = new ClosedSteps(0, steps);
            foreach (GpuEvent e in events)
            {
                long safe = (long)((e.TimestampNs - BaseNs) / (ulong)TimeBase.StepNs);
                if (safe > aggregator.NextStep && random.Next(3) == 0)
                {
                    pieces.CloseThrough(aggregator, random.NextInt64(aggregator.NextStep, safe + 1));
                }

                aggregator.Push(e);
            }

            pieces.CloseThrough(aggregator, steps);
            pieces.AssertBitIdentical(once, $"seed {seed}");
            Assert.Equal(0, aggregator.LateEvents);
            Assert.Equal(0, aggregator.ClippedEvents);
        }
    }

    [Fact]
    public void Push_ShuffledWithinOpenSteps_SameBusyUnionAndTraffic()
    {
        for (int seed = 1; seed <= 60; seed++)
        {
            GpuEvent[] sorted = RandomTrace.Sorted(seed, 300, 150);
            int steps = StepsCovering(sorted);
            GpuEvent[] shuffled = [.. sorted];
            new Random(seed).Shuffle(shuffled);
            ClosedSteps expected = ClosedSteps.OneClose(sorted, BaseNs, steps);
            ClosedSteps actual = ClosedSteps.OneClose(shuffled, BaseNs, steps);

            // The union is merged before it is added up: the same doubles. Copy bytes are summed in arrival
            // order: equal up to rounding.
            BitIdentical.Equal(expected.Sm, actual.Sm, $"seed {seed}, sm", 1);
            for (int i = 0; i < steps; i++)
            {
                Assert.Equal(expected.Bandwidth[i], actual.Bandwidth[i], 1e-9 * Math.Max(1, expected.Bandwidth[i]));
                Assert.Equal(expected[i, ActivityChannel.Kernels], actual[i, ActivityChannel.Kernels]);
                Assert.Equal(expected[i, ActivityChannel.Transfers], actual[i, ActivityChannel.Transfers]);
            }
        }
    }

    [Fact]
    public void Push_ShuffledMemoryCallsWithDistinctTimes_SameVramAsSorted()
    {
        // Allocations and frees wait for their close and meet the ledger in time order: with no two at one
        // instant, arrival order cannot change what is held.
        for (int seed = 1; seed <= 30; seed++)
        {
            GpuEvent[] sorted = [.. RandomTrace.Sorted(seed, 300, 150)
                .Where(static e => e.Kind.IsDeviceAlloc() || e.Kind.IsDeviceFree())
                .DistinctBy(static e => e.TimestampNs)];
            int steps = StepsCovering(sorted);
            GpuEvent[] shuffled = [.. sorted];
            new Random(seed).Shuffle(shuffled);
            ClosedSteps.OneClose(shuffled, BaseNs, steps).AssertBitIdentical(ClosedSteps.OneClose(sorted, BaseNs, steps), $"seed {seed}");
        }
    }

    private static int StepsCovering(GpuEvent[] events) =>
        (int)((events.Max(static e => Math.Max(e.EndNs > e.TimestampNs ? e.EndNs - 1 : e.TimestampNs, e.TimestampNs)) - BaseNs) / (ulong)TimeBase.StepNs) + 1;
}

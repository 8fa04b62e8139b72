using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Aggregation.Reference;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Aggregation;

/// <summary>
/// Replay figures downstream depend on the whole-trace series: they must stay bit-identical to the
/// frozen <see cref="ReferenceDemandAggregator"/>, every double, on the real fixtures and on random mixes.
/// </summary>
public sealed class DemandAggregatorReferenceTests
{
    public static TheoryData<string> Fixtures() => [.. FixtureTraces.All];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Aggregate_Fixture_BitIdenticalToReference(string fixture)
    {
        ImportedTrace trace = FixtureTraces.Get(fixture);
        BitIdentical.Equal(ReferenceDemandAggregator.Aggregate(trace), DemandAggregator.Aggregate(trace), fixture);
    }

    [Fact]
    public void Aggregate_RandomSortedMixes_BitIdenticalToReference()
    {
        for (int seed = 1; seed <= 40; seed++)
        {
            var processes = new List<TraceProcess>
            {
                new(new AppId(1, Events.BaseNs), "p1", RandomTrace.Sorted(seed, 400, 200)),
                new(new AppId(2, Events.BaseNs), "p2", RandomTrace.Sorted(seed + 1000, 50, 60)),
            };
            var trace = new ImportedTrace("random", "test", processes, ObservedSignals.SmFromGpuIntervals | ObservedSignals.BandwidthFromCopies | ObservedSignals.VramFromAllocations, []);
            BitIdentical.Equal(ReferenceDemandAggregator.Aggregate(trace), DemandAggregator.Aggregate(trace), $"seed {seed}");
        }
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Replay;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;
using static Gpupredict.Simulation.Tests.Comparison.ComparisonTestData;

namespace Gpupredict.Simulation.Tests.Comparison;

public class OracleForecasterTests
{
    [Fact]
    public void Predict_KnowsTheFutureAtEveryLevelAndZeroAfterTheEnd()
    {
        ReplayApp app = App(1, [0.1, 0.2, 0.3], [1, 2, 3], start: 5);
        var f = new OracleForecaster(ReplayApps.Recorded([app]), 4, [0.1, 0.5, 0.99]);
        f.Observe(app.Series.App, 5, app.Series[0]);

        Forecast p = f.Predict(app.Series.App);

        // Steps 6, 7, 8, 9 are the series' 1, 2, then after its end.
        Assert.Equal([0.2, 0.3, 0, 0], Enumerable.Range(0, 4).Select(h => p.Get(h, 0, Resource.Sm)));
        Assert.Equal(p.Get(1, 0, Resource.Vram), p.Get(1, 1, Resource.Vram));
        Assert.Equal(3 * MiB, p.Get(1, 1, Resource.Vram));
    }

    [Fact]
    public void Observe_UnknownApplication_Throws()
    {
        var f = new OracleForecaster(ReplayApps.Recorded([App(1, [0.1], [1])]), 1, [0.5]);

        Assert.Throws<ArgumentException>(() => f.Observe(new AppId(2, 1), 0, ResourceVector.Zero));
    }

    [Theory]
    [InlineData("kineto/df-index-resolver-v100.json.gz")]
    [InlineData("kineto/resnet-v100-rank0.json.gz")]
    [InlineData("nsys/cloverleaf-a100.sqlite")]
    [InlineData("nsys/saxpy-mpi-a100.sqlite")]
    public void Replay_RealFixtureTrace_OracleNeverUnderAllocates(string fixture)
    {
        ReplayApp[] apps = DemandAggregator.Aggregate(TraceImport.Load(RepoPaths.Fixture(fixture)))
            .Select(s => new ReplayApp(s, Priority.Default)).ToArray();
        Assert.NotEmpty(apps);

        ReplayResult r = NodeReplay.Run(apps, new OracleForecaster(ReplayApps.Recorded(apps), 10, [0.1, 0.5, 0.99]), new OraclePlanner(),
            new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));

        Assert.Equal(0, r.Total.UnderAllocatedSteps);
        Assert.Equal(0.0, r.Total.SmSlack, 6);
        Assert.Empty(r.EnforcementErrors);
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Comparison.Policies;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Tests.Comparison;

/// <summary>The comparison policies name planners and forecasters that exist, and the set-up pairs them on the planner's grid.</summary>
public sealed class ComparisonPoliciesTests
{
    private static ReplaySetup Setup(params ReplayApp[] apps) =>
        new(apps, new Fixed(), Forecasters.Catalog, 10, n => new SimulatedGpuNode([.. Enumerable.Range(0, n).Select(SimulatedGpuSpec.H100Sxm)], new SimulatedCosts()), 2);

    private static ReplayApp App(int pid) => new(new DemandSeries(new AppId(pid, 1), $"a{pid}", 0, [0.5, 0.5], [0, 0], [1e9, 1e9], ObservedSignals.SmFromGpuIntervals), Priority.Default);

    [Fact]
    public void All_NameRegisteredPlannersAndForecasters()
    {
        foreach (ComparisonPolicy p in ComparisonPolicies.All)
        {
            Assert.Contains(p.Planner, Planners.Names);
            Assert.True(p.Forecaster is null || Forecasters.Names.Contains(p.Forecaster), $"{p.Name}: forecaster {p.Forecaster}");
        }

        Assert.Equal(["static-peak", "reactive", "hami", "forecast", "oracle"], ComparisonPolicies.All.Select(p => p.Name));
    }

    [Fact]
    public void Entry_UpperQuantileOffTheGrid_ForecasterCarriesItAndItsMirror()
    {
        ReplaySetup setup = Setup(App(1));
        var options = new ForecastPlannerOptions { UpperQuantile = 0.95 };

        PolicyEntry entry = setup.Entry(ComparisonPolicies.Forecast, () => new ForecastPlanner(options), new ForecasterChoice("ewma"));

        Assert.Equal([0.001, 0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999], entry.CreateForecaster().Levels.ToArray());
    }

    [Fact]
    public void Entry_BaselinesBringTheirOwnForecaster_OracleReadsTheRecordedFuture()
    {
        ReplaySetup setup = Setup(App(1), App(2));

        Assert.IsType<OracleForecaster>(setup.Entry(ComparisonPolicies.Oracle, () => Planners.Create("oracle"), new ForecasterChoice("lstm")).CreateForecaster());
        Assert.IsType<ReactiveWindowForecaster>(setup.Entry(ComparisonPolicies.Reactive, () => Planners.Create("reactive"), new ForecasterChoice("lstm")).CreateForecaster());
        Assert.IsType<LastValueForecaster>(setup.Entry(ComparisonPolicies.Hami, () => Planners.Create("hami"), new ForecasterChoice("lstm")).CreateForecaster());
    }

    [Fact]
    public void Entry_TrainedModelWithoutTheGrantedLevel_FailsNamingIt()
    {
        ReplaySetup setup = Setup(App(1));
        var model = new ForecasterChoice("ewma", () => new EwmaQuantileForecaster(10, QuantileGrid.Planning), "m.gpfc");

        var e = Assert.Throws<ArgumentException>(() => setup.Entry(ComparisonPolicies.Forecast, () => new ForecastPlanner(new ForecastPlannerOptions { UpperQuantile = 0.95 }), model));

        Assert.Equal("m.gpfc forecasts quantile levels [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999]; the planner reads the upper quantile 0.95, which is not among them", e.Message);
    }

    [Fact]
    public void Entry_UnknownForecaster_FailsBeforeAnyReplay()
    {
        var e = Assert.Throws<ArgumentException>(() => Setup(App(1)).Entry(ComparisonPolicies.Forecast, () => Planners.Create("forecast"), new ForecasterChoice("prophet")));

        Assert.StartsWith("unknown forecaster 'prophet'; known: ewma, last-value", e.Message, StringComparison.Ordinal);
    }

    private sealed class Fixed : IAdmission
    {
        public AppTerms Admit(AppId app, AppIdentity identity) => AppTerms.Default;
    }
}

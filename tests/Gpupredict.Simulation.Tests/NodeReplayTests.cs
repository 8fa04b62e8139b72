using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;

namespace Gpupredict.Simulation.Tests;

public class NodeReplayTests
{
    private const double MiB = 1 << 20;

    /// <summary>
    /// Two phases, as a job that loads data and then trains: the first half light (SM 0.1, memory
    /// ramping to 50 MiB), the second heavy (SM 0.8, memory ramping on to 200 MiB).
    /// </summary>
    private static DemandSeries Phased(int pid, int steps)
    {
        var sm = new double[steps];
        var bw = new double[steps];
        var vram = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            bool heavy = i >= steps / 2;
            sm[i] = heavy ? 0.8 : 0.1;
            bw[i] = 1e9;
            vram[i] = (heavy ? Math.Min(200, 50 + (10 * (i - (steps / 2)))) : Math.Min(50, 5 * (i + 1))) * MiB;
        }

        return new DemandSeries(new AppId(pid, 1), $"train-{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations);
    }

    private static ReplayResult Run(string planner, params ReplayApp[] apps) =>
        NodeReplay.Run(apps, new EwmaQuantileForecaster(10, [0.1, 0.5, 0.9, 0.99]), Planners.Create(planner),
            new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));

    [Fact]
    public void Run_StaticPeak_NeverUnderAllocatesAndNothingPremapped()
    {
        ReplayResult r = Run(StaticPeakPlanner.PolicyName, new ReplayApp(Phased(1, 300), Priority.Default));

        Assert.Equal(300, r.Steps);
        Assert.Equal(0, r.Total.UnderAllocatedSteps);
        Assert.Equal(1, r.Total.PassThroughSteps);
        Assert.Equal(0, r.Total.PremappedHitSteps);
        Assert.Equal(1, r.Total.GrantChanges);
    }

    [Fact]
    public void Run_Forecast_LessSlackThanStaticAndMostGrowthPremapped()
    {
        ReplayApp app = new(Phased(1, 300), Priority.Default);
        ReplayResult stat = Run(StaticPeakPlanner.PolicyName, app);
        ReplayResult ours = Run(ForecastPlanner.PolicyName, app);

        Assert.True(ours.Total.VramSlack < stat.Total.VramSlack, $"VRAM slack {ours.Total.VramSlack} vs static {stat.Total.VramSlack}");
        Assert.True(ours.Total.SmSlack < stat.Total.SmSlack, $"SM slack {ours.Total.SmSlack} vs static {stat.Total.SmSlack}");
        Assert.True(ours.Total.PremappedHitSteps > ours.Total.AllocationSteps / 2, $"{ours.Total.PremappedHitSteps} of {ours.Total.AllocationSteps}");
        Assert.Empty(ours.EnforcementErrors);
    }

    [Fact]
    public void Run_StaggeredApps_EachCountedForItsOwnSteps()
    {
        ReplayResult r = Run(ForecastPlanner.PolicyName,
            new ReplayApp(Phased(1, 100), Priority.Default),
            new ReplayApp(Phased(2, 50), Priority.Default, StartStep: 80));

        Assert.Equal(130, r.Steps);
        Assert.Equal(100, r.Apps[0].Steps);
        Assert.Equal(50, r.Apps[1].Steps);
        Assert.Equal(150, r.Total.Steps);
    }

    [Fact]
    public void Run_DuplicateIdentity_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Run(ForecastPlanner.PolicyName,
            new ReplayApp(Phased(1, 10), Priority.Default), new ReplayApp(Phased(1, 10), Priority.Default)));
        Assert.Contains("share the identity 1.1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TwoPolicies_ReportHasTablesAndComparison()
    {
        ReplayApp app = new(Phased(1, 120), Priority.Default);
        var w = new StringWriter();

        ReplayReportWriter.Write(w, [app], [Run(StaticPeakPlanner.PolicyName, app), Run(ForecastPlanner.PolicyName, app)]);

        string text = w.ToString();
        Assert.Contains("Replay of 1 application(s), 120 steps of 10 ms (1.20 s)", text, StringComparison.Ordinal);
        Assert.Contains("Policy static-peak", text, StringComparison.Ordinal);
        Assert.Contains("Policy forecast", text, StringComparison.Ordinal);
        Assert.Contains("Comparison (node totals)", text, StringComparison.Ordinal);
        Assert.Contains("train-1", text, StringComparison.Ordinal);
        Assert.Contains("sm+vram", text, StringComparison.Ordinal);
    }
}

using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;
using static Gpupredict.Simulation.Tests.Comparison.ComparisonTestData;

namespace Gpupredict.Simulation.Tests.Comparison;

public class PolicyComparisonTests
{
    private static ComparisonResult Compare(ReplayApp[] apps) => PolicyComparison.Run(
        apps,
        [
            new PolicyEntry("static-peak", () => new StaticPeakPlanner(), () => new LastValueForecaster(10, [0.1, 0.5, 0.99])),
            new PolicyEntry("oracle", () => new OraclePlanner(), () => new OracleForecaster(ReplayApps.Recorded(apps), 10, [0.1, 0.5, 0.99])),
        ],
        () => new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));

    [Fact]
    public void Run_Pair_FiguresAsWorkedOutByHand()
    {
        ComparisonResult r = Compare(Pair());

        PolicyFigures stat = r.Find("static-peak")!.Figures;
        // SM allocated per step 0.2 + 0.8 + 0.8 + 0.2 = 2.0, used 0.2 + 0.8 + 0.6 + 0.2 = 1.8.
        Assert.Equal(0.9, stat.SmUtilization, 5);
        // Slack over granted steps: A granted 0.6 twice, idle 0.2 once; B granted 0.2 twice, idle 0: 0.2 / 1.6.
        Assert.Equal(0.125, stat.SmSlack, 9);
        Assert.Equal(0.8, stat.GpusNeeded, 5);
        Assert.Equal(1.5, stat.MeanConcurrentApps, 9);
        Assert.Equal(1.5 / 0.8, stat.AppsPerGpu, 4);
        Assert.Equal(6, stat.AppSteps);
        Assert.Equal(0, stat.UnderAllocatedSteps);
        Assert.Equal(1.0, stat.AppsPerGpuVsStatic!.Value, 9);

        // The oracle grants each step's true demand: A 0.6 then 0.4, B 0.2: used = allocated.
        PolicyFigures oracle = r.Find("oracle")!.Figures;
        Assert.Equal(1.0, oracle.SmUtilization, 5);
        Assert.Equal(0.0, oracle.SmSlack, 9);
        Assert.Equal(0, oracle.UnderAllocatedSteps);
        Assert.Equal(0.9, stat.SmUtilizationVsOracle!.Value, 5);
        Assert.Equal(1.0, oracle.VramUtilization, 5);
    }

    [Fact]
    public void Run_SamePolicyTwice_Throws()
    {
        ReplayApp[] apps = Pair();
        var entry = new PolicyEntry("static-peak", () => new StaticPeakPlanner(), () => new LastValueForecaster(10, [0.1, 0.5, 0.99]));

        Assert.Throws<ArgumentException>(() => PolicyComparison.Run(apps, [entry, entry], () => new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts())));
    }

    [Fact]
    public void Write_WithoutForecastPolicy_TableButNoTargets()
    {
        var w = new StringWriter();

        ComparisonTableWriter.Write(w, Compare(Pair()));

        string text = w.ToString();
        Assert.Contains("static-peak", text, StringComparison.Ordinal);
        Assert.Contains("oracle", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Targets", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Figures_MetAndMissedWithNumbers()
    {
        var f = new PolicyFigures
        {
            Policy = "forecast",
            Forecaster = "ewma",
            SmSlack = 0.10,
            VramSlack = 0.20,
            VramObserved = true,
            UnderAllocatedSteps = 1,
            AppSteps = 10_000,
            UnderAllocatedFraction = 0.0001,
            AllocationSteps = 0,
            AppsPerGpuVsStatic = 1.6,
            SmUtilization = 0.8,
            SmUtilizationVsOracle = 0.85,
        };

        IReadOnlyList<TargetCheck> checks = ComparisonTargets.Check(f);

        Assert.True(checks.Single(c => c.Target == "apps/GPU vs static-peak, GPUs occupied").Met);
        Assert.True(checks.Single(c => c.Target == "SM slack").Met);
        Assert.False(checks.Single(c => c.Target == "VRAM slack").Met);
        Assert.True(checks.Single(c => c.Target == "under-allocation").Met); // 0.01 % < 0.1 %
        Assert.Null(checks.Single(c => c.Target == "pre-mapped hits").Met);
        Assert.False(checks.Single(c => c.Target == "SM utilization vs oracle").Met); // 15 % below
        Assert.Equal("80.0% = 0.85x oracle", checks.Single(c => c.Target == "SM utilization vs oracle").Actual);
    }
}

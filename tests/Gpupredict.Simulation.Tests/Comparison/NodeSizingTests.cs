using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Tests.Comparison;

public class NodeSizingTests
{
    private const double GiB = 1UL << 30;

    /// <summary>Four applications of 30 GiB and SM 0.3 each, for 20 steps: two fit an 80 GiB GPU, three do not.</summary>
    private static ReplayApp[] Four() =>
        [.. Enumerable.Range(1, 4).Select(pid => new ReplayApp(
            new DemandSeries(new AppId(pid, 1), $"app-{pid}", 0, Enumerable.Repeat(0.3, 20).ToArray(), new double[20], Enumerable.Repeat(30 * GiB, 20).ToArray(), ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations),
            Priority.Default))];

    private static PolicyEntry StaticPeak() => new("static-peak", () => new StaticPeakPlanner(), () => new LastValueForecaster(10, [0.1, 0.5, 0.99]));

    private static SimulatedGpuNode NodeOf(int gpus) => new([.. Enumerable.Range(0, gpus).Select(SimulatedGpuSpec.H100Sxm)], new SimulatedCosts());

    [Fact]
    public void Fit_StaticPeak_TwoPerGpu()
    {
        var probes = new List<(int Gpus, double Missed)>();
        NodeSize size = Assert.Single(NodeSizing.Fit(Four(), [StaticPeak()], NodeOf, 8, 0, (_, g, m) => probes.Add((g, m))));

        Assert.Equal(2, size.Gpus);
        Assert.Equal(2.0, size.AppsPerGpu, 9);
        Assert.Equal(0, size.Figures.UnderAllocatedSteps);
        Assert.Equal(probes.Count, size.Replays);
        Assert.Contains(probes, p => p.Gpus == 1 && p.Missed > 0); // one GPU cannot hold 120 GiB
    }

    [Fact]
    public void Fit_BudgetMissedEvenOnTheLargestNode_NoSize()
    {
        NodeSize size = Assert.Single(NodeSizing.Fit(Four(), [StaticPeak()], NodeOf, 1, 0));

        Assert.Null(size.Gpus);
        Assert.Equal(0, size.AppsPerGpu);
        Assert.True(size.Figures.UnderAllocatedFraction > 0);
        Assert.Equal(1, size.Replays);
    }

    [Fact]
    public void Plot_OneBarPerPolicyInEachPanel_MissedOnesGreyAndLabelled()
    {
        NodeSize[] sizes = [.. NodeSizing.Fit(Four(), [StaticPeak()], NodeOf, 8, 0), .. NodeSizing.Fit(Four(), [StaticPeak() with { Policy = "too-small" }], NodeOf, 1, 0)];
        System.Xml.Linq.XDocument svg = System.Xml.Linq.XDocument.Parse(Gpupredict.Simulation.Reports.NodeSizePlot.Render(sizes, 0, 8));
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.Equal(8, svg.Descendants(ns + "rect").Count(r => r.Attribute("fill")?.Value is not ("white" or "none")));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "too-small (> 8)");
        Assert.Equal(4, svg.Descendants(ns + "rect").Count(r => r.Attribute("fill")?.Value == "#bbbbbb"));
    }

    [Fact]
    public void CheckSized_DensityOnTheSizedNodesAndWhatHappenedThere()
    {
        NodeSize stat = Assert.Single(NodeSizing.Fit(Four(), [StaticPeak()], NodeOf, 8, 0));
        NodeSize same = stat with { Policy = "forecast" };

        IReadOnlyList<TargetCheck> checks = ComparisonTargets.CheckSized(same, stat);

        Assert.Equal(["apps/GPU vs static-peak, sized nodes", "under-allocation on that node", "pre-mapped hits on that node"], checks.Select(c => c.Target));
        Assert.Equal(("1.00x (2 vs 2 GPUs)", false), (checks[0].Actual, checks[0].Met));
        Assert.True(checks[1].Met);
        Assert.Empty(ComparisonTargets.CheckSized(same, null));
        Assert.False(ComparisonTargets.CheckSized(same with { Gpus = null, AppsPerGpu = 0 }, stat)[0].Met);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Fit_BudgetOutsideUnitInterval_Throws(double budget) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeSizing.Fit(Four(), [StaticPeak()], NodeOf, 4, budget));
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;
using static Gpupredict.Simulation.Tests.Comparison.ComparisonTestData;

namespace Gpupredict.Simulation.Tests.Comparison;

public class RecordingNodeTests
{
    private static RecordingNode Replay(ReplayApp[] apps, int gpus = 1)
    {
        var node = new RecordingNode(new SimulatedGpuNode(Enumerable.Range(0, gpus).Select(SimulatedGpuSpec.H100Sxm).ToArray(), new SimulatedCosts()), apps);
        NodeReplay.Run(apps, new LastValueForecaster(10, [0.5, 0.99]), new StaticPeakPlanner(), node);
        return node;
    }

    [Fact]
    public void Step_StaticPeakPair_SumsGrantsAndUsePerStep()
    {
        NodeTimeline t = Replay(Pair()).Timeline;

        // step 0: A pass-through (counts its use, 0.2); 1: A granted its peak 0.6, B pass-through 0.2;
        // 2: A 0.6 + B's peak 0.2; 3: B 0.2.
        Assert.Equal(4, t.Steps);
        Assert.Equal([1, 2, 2, 1], Enumerable.Range(0, 4).Select(s => t.ActiveApps(s)));
        double[] granted = [0.2, 0.8, 0.8, 0.2];
        double[] used = [0.2, 0.8, 0.6, 0.2];
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(granted[s], t.SmGranted(s, 0), 6);
            Assert.Equal(used[s], t.SmUsed(s, 0), 6);
        }

        Assert.Equal(14 * MiB, t.VramGranted(1, 0)); // A's 10 MiB quota + B's 4 MiB held, pass-through
        Assert.Equal(14 * MiB, t.VramUsed(2, 0));
        Assert.Equal(2.0, t.SmGrantedTotal, 6);
        Assert.Equal(1.8, t.SmUsedTotal, 6);
        Assert.Equal(1.5, t.MeanActiveApps, 12);
        Assert.Equal(0.8, t.PeakReservedGpus(), 6); // SM dominates: 14 MiB of 80 GiB is nothing
    }

    [Fact]
    public void Step_TwoGpus_EachApplicationSummedOnItsOwnGpu()
    {
        NodeTimeline t = Replay([App(1, [0.5, 0.5, 0.5], [1, 1, 1]), App(2, [0.3, 0.3, 0.3], [1, 1, 1])], gpus: 2).Timeline;

        // Step 1: both granted their peaks, placed on different GPUs by the arbiter.
        Assert.Equal(0.8, t.SmGranted(1, 0) + t.SmGranted(1, 1), 6);
        Assert.True(t.SmGranted(1, 0) > 0 && t.SmGranted(1, 1) > 0);
        Assert.Equal(0.8, t.ReservedGpus(1), 6);
    }

    [Fact]
    public void Step_CallOutsideTimeline_Throws()
    {
        ReplayApp[] apps = [App(1, [0.1], [1])];
        var node = new RecordingNode(new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()), apps);

        Assert.Throws<InvalidOperationException>(() => node.Step(new AppId(9, 9), ResourceVector.Zero));
    }
}

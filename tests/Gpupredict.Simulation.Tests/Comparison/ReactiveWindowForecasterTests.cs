using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Replay;
using static Gpupredict.Simulation.Tests.Comparison.ComparisonTestData;

namespace Gpupredict.Simulation.Tests.Comparison;

public class ReactiveWindowForecasterTests
{
    private static readonly AppId Id = new(1, 1);

    private static double[] Levels => [0.1, 0.5, 0.99];

    /// <summary>SM 0.2 and 100 MiB for 300 steps, then (the spike) SM 0.9 and 400 MiB for 50.</summary>
    private static ReplayApp Spiky() =>
        App(1, [.. Enumerable.Repeat(0.2, 300), .. Enumerable.Repeat(0.9, 50)], [.. Enumerable.Repeat(100.0, 300), .. Enumerable.Repeat(400.0, 50)]);

    [Fact]
    public void Predict_FirstSample_SizesWithMarginAtEveryLevelAndStep()
    {
        var f = new ReactiveWindowForecaster(5, Levels);
        f.Observe(Id, 0, new ResourceVector(0.5, 0, 100 * MiB));

        Forecast p = f.Predict(Id);

        Assert.Equal(5, p.Horizon);
        Assert.Equal(0.575, p.Get(4, 0, Resource.Sm), 12); // 0.5 × 1.15
        Assert.Equal(0.575, p.Get(0, 1, Resource.Sm), 12);
        Assert.Equal(115 * MiB, p.Get(2, 1, Resource.Vram), 3);
    }

    [Fact]
    public void Observe_UseReachesSizeBetweenRecomputes_VramBumpedSmKept()
    {
        var f = new ReactiveWindowForecaster(1, Levels);
        f.Observe(Id, 0, new ResourceVector(0.5, 0, 100 * MiB)); // sizes 0.575, 115 MiB
        f.Observe(Id, 1, new ResourceVector(0.9, 0, 120 * MiB)); // 120 ≥ 115: 120 × 1.2; SM waits for the recompute

        Forecast p = f.Predict(Id);

        Assert.Equal(144 * MiB, p.Get(0, 1, Resource.Vram), 3);
        Assert.Equal(0.575, p.Get(0, 1, Resource.Sm), 12);
    }

    [Fact]
    public void Observe_Recompute_WindowMaxAndNearestRankPercentile()
    {
        // Window 10, recompute every 5: the recompute after the 6th sample sees SM 0.1..0.6 and VRAM 10..60 MiB.
        var f = new ReactiveWindowForecaster(1, Levels, new ReactiveWindowOptions { WindowSteps = 10, RecomputeEverySteps = 5, SmPercentile = 0.5 });
        for (int s = 0; s < 6; s++)
        {
            f.Observe(Id, s, new ResourceVector(0.1 * (s + 1), 0, 10 * MiB * (s + 1)));
        }

        Forecast p = f.Predict(Id);

        Assert.Equal(0.3 * 1.15, p.Get(0, 0, Resource.Sm), 9); // rank ceil(0.5 × 6) = 3rd smallest
        Assert.Equal(60 * MiB * 1.15, p.Get(0, 0, Resource.Vram), 3);
    }

    [Fact]
    public void Predict_FutureSpike_InvisibleBeforeItHappens()
    {
        // Fed the spiky series and a flat one that share the first 300 steps: every forecast made
        // before the spike is the same, so the reactive policy cannot know the future.
        ReplayApp spiky = Spiky();
        var withSpike = new ReactiveWindowForecaster(10, Levels);
        var without = new ReactiveWindowForecaster(10, Levels);
        for (int s = 0; s < 300; s++)
        {
            withSpike.Observe(Id, s, spiky.Series[s]);
            without.Observe(Id, s, new ResourceVector(0.2, 0, 100 * MiB));
            Assert.Equal(without.Predict(Id).MaxOver(10, 1), withSpike.Predict(Id).MaxOver(10, 1));
        }

        Assert.Equal(0.23, withSpike.Predict(Id).Get(0, 1, Resource.Sm), 9);
    }

    [Fact]
    public void Replay_FutureSpike_ReactiveUnderAllocatesAtTheSpikeOracleDoesNot()
    {
        ReplayApp[] apps = [Spiky()];
        ReplayResult reactive = NodeReplay.Run(apps, new ReactiveWindowForecaster(10, Levels), new ReactivePlanner(), new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));
        ReplayResult oracle = NodeReplay.Run(apps, new OracleForecaster(ReplayApps.Recorded(apps), 10, Levels), new OraclePlanner(), new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));

        Assert.True(reactive.Total.VramOverQuotaSteps >= 1, "the step of the spike exceeds a quota sized from the past");
        Assert.True(reactive.Total.SmOverShareSteps >= 1);
        Assert.Equal(0, oracle.Total.UnderAllocatedSteps);
    }
}

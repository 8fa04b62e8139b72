using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The early-stopping case every neural model shares: white noise to learn nothing from, and the shape of the curve it leaves.</summary>
internal static class EarlyStoppingAssert
{
    /// <summary>Three series of 400 steps of uniform SM noise, from one seed: nothing to learn.</summary>
    public static DemandSeries[] Noise()
    {
        var rng = new Random(5);
        DemandSeries One(int pid) => new(new AppId(pid, 1), "noise", 0, [.. Enumerable.Range(0, 400).Select(_ => rng.NextDouble())], new double[400], new double[400], ObservedSignals.SmFromGpuIntervals);
        return [One(1), One(2), One(3)];
    }

    /// <summary>The curve stopped before <paramref name="maxEpochs"/>, exactly <paramref name="patience"/> epochs past its best, and every trained epoch has a learning rate and a loss.</summary>
    public static void StoppedPatiencePastBest(IReadOnlyList<TrainingEpoch> curve, int patience, int maxEpochs)
    {
        Assert.InRange(curve.Count - 1, patience, maxEpochs - 1);
        int best = 0;
        for (int e = 1; e < curve.Count; e++)
        {
            best = curve[e].ValidationLoss < curve[best].ValidationLoss ? e : best;
        }

        Assert.Equal(best + patience, curve[^1].Epoch);
        Assert.All(curve.Skip(1), e => Assert.True(e.LearningRate > 0 && e.TrainLoss > 0));
    }
}

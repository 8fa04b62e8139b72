using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Training.Evaluation;
using Gpupredict.Training.Tests.Support;

namespace Gpupredict.Training.Tests.Evaluation;

/// <summary>Horizon step h of the forecast made after step t is scored against step t + h — not t + h ± 1.</summary>
public sealed class BacktestAlignmentTests
{
    private static readonly double[] Levels = [0.01, 0.1, 0.5, 0.9, 0.99];

    private static BacktestResult RunOracle(IReadOnlyList<DemandSeries> series, int shift, int horizon = 5)
    {
        Dictionary<AppId, DemandSeries> byApp = series.ToDictionary(s => s.App);
        return Backtest.Run(
            series,
            () => new ScriptedForecaster(horizon, Levels, (app, origin, h, r, _) =>
            {
                DemandSeries s = byApp[app];
                long step = Math.Clamp(origin + h + shift, 0, s.Count - 1);
                return s.Values(r)[(int)step];
            }),
            new BacktestOptions());
    }

    [Fact]
    public void Run_ForecasterPredictingStepTPlusHExactly_ScoresZeroEverywhere()
    {
        BacktestResult result = RunOracle([Series.Varying(1, 40), Series.Varying(2, 25)], shift: 0);

        Assert.Equal(3, result.Resources.Count);
        foreach (ResourceBacktest r in result.Resources)
        {
            foreach (BacktestScore s in r.ByHorizon.Append(r.AllHorizons))
            {
                Assert.True(s.Points > 0);
                Assert.Equal(0, s.Mae);
                Assert.Equal(0, s.Pinball);
                Assert.Equal(1, s.Coverage80);
                Assert.Equal(1, s.Coverage98);
                Assert.Equal(0, s.Width98);
            }
        }

        Assert.Equal(0, result.MeanScaledPinball);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Run_OracleOffByOneStep_IsPenalized(int shift)
    {
        BacktestResult result = RunOracle([Series.Varying(1, 40)], shift);

        Assert.All(result.Resources, r => Assert.True(r.AllHorizons.Mae > 0, $"{r.Resource}: an off-by-one forecast scored MAE 0"));
    }

    [Fact]
    public void Run_PersistenceOnARamp_ErrorAtHorizonHIsH()
    {
        // VRAM 0, 1, 2, ...: "the last value" forecast made after step t misses step t + h by exactly h.
        DemandSeries ramp = Series.Vram(1, [.. Enumerable.Range(0, 20).Select(i => (double)i)]);

        BacktestResult result = Backtest.Run([ramp], () => new ScriptedForecaster(3, Levels, (_, origin, _, _, _) => origin), new BacktestOptions());

        ResourceBacktest vram = Assert.Single(result.Resources);
        Assert.Equal([1.0, 2.0, 3.0], vram.ByHorizon.Select(s => s.Mae));

        // Origins 9..18 (training is steps 0..9); horizon 1 has 10 points, 2 has 9, 3 has 8.
        Assert.Equal([10L, 9L, 8L], vram.ByHorizon.Select(s => s.Points));
        Assert.Equal(((10 * 1) + (9 * 2) + (8 * 3)) / 27.0, vram.AllHorizons.Mae, 12);
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Training.Evaluation;
using Gpupredict.Training.Tests.Support;

namespace Gpupredict.Training.Tests.Evaluation;

/// <summary>The metrics on a case small enough to work out by hand.</summary>
public sealed class BacktestMetricsTests
{
    // 8 steps, train fraction 0.5 -> 4 training steps; origins t = 3, 4, 5, 6 with H = 1 score steps 4..7.
    private static readonly DemandSeries Vram = Series.Vram(1, 0, 0, 0, 0, 10, 20, 30, 90);

    // Constant forecast: level 0.1 -> 5, 0.5 -> 20, 0.9 -> 40.
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private static readonly double[] Constant = [5, 20, 40];

    private static BacktestResult RunConstant() =>
        Backtest.Run([Vram], () => new ScriptedForecaster(1, Levels, (_, _, _, _, q) => Constant[q]), new BacktestOptions());

    [Fact]
    public void Run_IntervalHolds3Of4Points_Coverage80IsThreeQuarters()
    {
        BacktestScore s = Assert.Single(RunConstant().Resources).ByHorizon[0];

        // [5, 40] holds 10, 20, 30 but not 90.
        Assert.Equal(4, s.Points);
        Assert.Equal(0.75, s.Coverage80);
        Assert.Equal(35, s.Width80);
        Assert.Null(s.Coverage98); // levels 0.01 and 0.99 are not forecast
    }

    [Fact]
    public void Run_ConstantForecast_MaeAndPinballAsWorkedOut()
    {
        BacktestScore s = Assert.Single(RunConstant().Resources).AllHorizons;

        // Median 20: |10−20| + |20−20| + |30−20| + |90−20| = 90, over 4 points.
        Assert.Equal(22.5, s.Mae, 12);

        // Pinball per point, summed over levels 0.1 / 0.5 / 0.9:
        //   y=10: 0.1·5 + 0.5·10 + 0.1·30 = 8.5     y=20: 0.1·15 + 0 + 0.1·20 = 3.5
        //   y=30: 0.1·25 + 0.5·10 + 0.1·10 = 8.5    y=90: 0.1·85 + 0.5·70 + 0.9·50 = 88.5
        // Mean over levels and points: 109 / 12.
        Assert.Equal(109.0 / 12, s.Pinball, 12);
        Assert.Equal(150.0 / 4, s.MeanAbsActual, 12);
        Assert.Equal(109.0 / 12 / 37.5, s.ScaledPinball!.Value, 12);
    }

    [Fact]
    public void Run_OnlyVramObserved_OnlyVramScored()
    {
        BacktestResult result = RunConstant();

        Assert.Equal(Resource.Vram, Assert.Single(result.Resources).Resource);
        Assert.Equal(4, result.Origins);
        Assert.Equal(4, result.TrainingSteps);
    }

    [Fact]
    public void Run_SeriesWithNoObservedSignal_ContributesNothing()
    {
        var blind = new DemandSeries(new Core.Apps.AppId(2, 1), "blind", 0, new double[8], new double[8], new double[8], ObservedSignals.None);

        BacktestResult result = Backtest.Run([Vram, blind], () => new ScriptedForecaster(1, Levels, (_, _, _, _, q) => Constant[q]), new BacktestOptions());

        BacktestScore s = Assert.Single(result.Resources).AllHorizons;
        Assert.Equal(4, s.Points);
        Assert.Equal(0.75, s.Coverage80);
    }

    [Fact]
    public void Run_AllActualsZero_ScaledPinballIsNull()
    {
        DemandSeries zeros = Series.Vram(3, 0, 0, 0, 0, 0, 0);

        BacktestResult result = Backtest.Run([zeros], () => new ScriptedForecaster(1, Levels, (_, _, _, _, q) => Constant[q]), new BacktestOptions());

        Assert.Null(Assert.Single(result.Resources).AllHorizons.ScaledPinball);
        Assert.Null(result.MeanScaledPinball);
    }
}

using System.Text.Json;
using Gpupredict.Training.Evaluation;
using Gpupredict.Training.Tests.Support;

namespace Gpupredict.Training.Tests.Evaluation;

public sealed class BacktestSplitTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    [Fact]
    public void Run_TrainFraction_FitsOnTheFirstStepsOfEverySeriesTogether()
    {
        ScriptedForecaster? made = null;
        BacktestResult result = Backtest.Run(
            [Series.Varying(1, 10), Series.Varying(2, 7)],
            () => made = new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0),
            new BacktestOptions { TrainFraction = 0.3, Seed = 42 });

        // floor(10 × 0.3) = 3, floor(7 × 0.3) = 2.
        Assert.NotNull(made);
        Assert.Equal([3, 2], made.Fitted.Select(s => s.Count));
        Assert.Equal(Series.Varying(1, 10).Values(Core.Demand.Resource.Vram)[..3].ToArray(), made.Fitted[0].Values(Core.Demand.Resource.Vram).ToArray());
        Assert.Equal(42, made.FitSeed);
        Assert.Equal(5, result.TrainingSteps);
    }

    [Fact]
    public void Run_OriginEvery_ForecastsFromEveryKthStepOfTheEvaluationPart()
    {
        ScriptedForecaster? made = null;
        Backtest.Run([Series.Varying(1, 10)], () => made = new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0), new BacktestOptions { OriginEvery = 2 });

        // 5 training steps: the first origin is step 4 (it forecasts step 5); the last step has nothing to score.
        Assert.Equal([4L, 6L, 8L], made!.Origins);
    }

    [Fact]
    public void Run_TwiceWithTheSameInput_SameScores()
    {
        BacktestResult Once() => Backtest.Run([Series.Varying(1, 30)], () => new ScriptedForecaster(2, Levels, (_, o, h, _, q) => (o % 3) + h + q), new BacktestOptions());

        Assert.Equal(JsonSerializer.Serialize(Once()), JsonSerializer.Serialize(Once()));
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(-0.1, 1)]
    [InlineData(0.5, 0)]
    public void Run_BadOptions_Throws(double fraction, int every) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Backtest.Run([], () => new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0), new BacktestOptions { TrainFraction = fraction, OriginEvery = every }));

    [Fact]
    public void Run_Progress_EndsAtTheTotal()
    {
        var calls = new List<(long Done, long Total)>();
        Backtest.Run([Series.Varying(1, 10), Series.Varying(2, 6)], () => new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0), new BacktestOptions { Progress = (d, t) => calls.Add((d, t)) });

        Assert.Equal((16L, 16L), calls[^1]);
    }
}

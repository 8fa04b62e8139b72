using Gpupredict.Core.Demand;
using Gpupredict.Training.Evaluation;
using Gpupredict.Training.Tests.Support;

namespace Gpupredict.Training.Tests.Evaluation;

/// <summary>The by-application split: folds of applications, each scored by a model that never saw them.</summary>
public sealed class BacktestByApplicationTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static readonly BacktestOptions ByApp = new() { Split = BacktestSplit.ByApplication, Folds = 3, Seed = 7 };

    [Fact]
    public void Run_ByApplication_EachFoldFittedOnTheWholeSeriesOfTheOtherFoldsOnly()
    {
        DemandSeries[] series = [.. Enumerable.Range(1, 6).Select(pid => Series.Varying(pid, 10 + pid))];
        var made = new List<ScriptedForecaster>();

        BacktestResult result = Backtest.Run(series, () => Made(made), ByApp);

        Assert.Equal(3, made.Count);
        Assert.Equal(3, result.Folds);
        Assert.Equal(BacktestSplit.ByApplication, result.Split);
        var scoredBy = new Dictionary<int, int>();
        for (int k = 0; k < made.Count; k++)
        {
            // Whole series, and none of them scored by the same model.
            Assert.All(made[k].Fitted, f => Assert.Equal(series.Single(s => s.App == f.App).Count, f.Count));
            foreach (DemandSeries s in series.Where(s => made[k].Fitted.All(f => f.App != s.App)))
            {
                scoredBy.Add(s.App.Pid, k);
            }
        }

        // Every application is held out by exactly one fold (Add above throws on a second).
        Assert.Equal(6, scoredBy.Count);
        Assert.Equal(series.Sum(s => (long)s.Count) * 2, result.TrainingSteps);
    }

    [Fact]
    public void Run_ByApplication_OriginsStartAtTheFirstStep()
    {
        var made = new List<ScriptedForecaster>();
        Backtest.Run([Series.Varying(1, 5), Series.Varying(2, 5)], () => Made(made), ByApp);

        // Two applications: two folds, each scoring one series of 5 steps from origin 0 to 3.
        Assert.Equal(2, made.Count);
        Assert.All(made, m => Assert.Equal([0L, 1L, 2L, 3L], m.Origins));
    }

    [Fact]
    public void Run_ByApplication_ProcessesOfOneApplicationStayInOneFold()
    {
        DemandSeries[] series = [.. Enumerable.Range(1, 8).Select(pid => Series.Varying(pid, 6))];
        string[] groups = ["a", "a", "b", "b", "c", "c", "d", "d"];
        var made = new List<ScriptedForecaster>();

        Backtest.Run(series, () => Made(made), ByApp with { Folds = 4 }, groups);

        foreach (ScriptedForecaster m in made)
        {
            // A model trained on one rank of a job never scores its other rank.
            int[] fitted = [.. m.Fitted.Select(f => f.App.Pid)];
            Assert.All(new[] { (1, 2), (3, 4), (5, 6), (7, 8) }, p => Assert.Equal(fitted.Contains(p.Item1), fitted.Contains(p.Item2)));
        }
    }

    [Fact]
    public void Run_TrainingApplications_EachFoldFittedOnThatManyOfTheOthers()
    {
        DemandSeries[] series = [.. Enumerable.Range(1, 12).Select(pid => Series.Varying(pid, 8))];
        var made = new List<ScriptedForecaster>();

        Backtest.Run(series, () => Made(made), ByApp with { TrainingApplications = 2 });
        var again = new List<ScriptedForecaster>();
        Backtest.Run(series, () => Made(again), ByApp with { TrainingApplications = 2 });

        Assert.Equal(3, made.Count);
        Assert.All(made, m => Assert.Equal(2, m.Fitted.Count));
        Assert.Equal(made.Select(m => m.Fitted.Select(f => f.App)), again.Select(m => m.Fitted.Select(f => f.App)));
    }

    [Fact]
    public void Assign_SameSeed_SameFolds_OtherSeed_OtherDeal()
    {
        string[] groups = [.. Enumerable.Range(0, 40).Select(i => $"app{i}")];

        (int[] a, int k) = BacktestFolds.Assign(groups, 5, seed: 1);
        (int[] b, _) = BacktestFolds.Assign(groups, 5, seed: 1);
        (int[] c, _) = BacktestFolds.Assign(groups, 5, seed: 2);

        Assert.Equal(5, k);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(Enumerable.Range(0, 5), f => Assert.Equal(8, a.Count(x => x == f)));
    }

    [Fact]
    public void Assign_OneApplication_Throws() =>
        Assert.Throws<ArgumentException>(() => BacktestFolds.Assign(["x", "x"], 5, 0));

    [Fact]
    public void Run_BurstOnsets_ScoresOnlyRisesPastTheMarginOfTheRange()
    {
        // Range 100, margin 0.2: a rise of more than 20 past the origin's value is an onset.
        // H = 1, per series from origin 0: (0->0) (0->50) onset, (50->60) not, (60->100) onset, (100->0) not.
        DemandSeries vram = Series.Vram(1, 0, 0, 50, 60, 100, 0);
        BacktestResult result = Backtest.Run([vram], () => new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0), new BacktestOptions { TrainFraction = 0 });

        ResourceBacktest r = Assert.Single(result.Resources);
        Assert.Equal(5, r.AllHorizons.Points);
        Assert.Equal(2, r.BurstOnsets.Points);
        Assert.Equal(75, r.BurstOnsets.MeanAbsActual);
    }

    [Fact]
    public void Skill_HalfTheBaselinesLoss_IsFiftyPercent()
    {
        DemandSeries vram = Series.Vram(1, 0, 0, 50, 60, 100, 0, 30, 80);
        var options = new BacktestOptions { TrainFraction = 0 };
        BacktestResult Constant(double v) => Backtest.Run([vram], () => new ScriptedForecaster(1, [0.5], (_, _, _, _, _) => v), options);

        // Median-only pinball is half the absolute error: forecasting 40 vs 0 on these actuals.
        BacktestResult model = Constant(40);
        BacktestResult baseline = Constant(0);
        ForecastSkill skill = ForecastSkill.Of(model, baseline);

        double expected = 1 - (model.Resources[0].AllHorizons.Pinball / baseline.Resources[0].AllHorizons.Pinball);
        Assert.Equal(expected, skill.Overall!.Value, 12);
        Assert.True(skill.Overall > 0);
        Assert.True(skill.BurstOnsets > 0);
        Assert.Equal(0, ForecastSkill.Of(baseline, baseline).Overall);
    }

    private static ScriptedForecaster Made(List<ScriptedForecaster> made)
    {
        var f = new ScriptedForecaster(1, Levels, (_, _, _, _, _) => 0);
        made.Add(f);
        return f;
    }
}

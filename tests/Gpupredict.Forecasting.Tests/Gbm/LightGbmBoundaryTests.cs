using Gpupredict.Forecasting.Gbm.Native;

namespace Gpupredict.Forecasting.Tests.Gbm;

public class LightGbmBoundaryTests
{
    /// <summary>100 rows × 2 features, label = 2·x0 + x1 (so a booster has something to learn).</summary>
    private static LightGbmDataset Linear()
    {
        double[] matrix = new double[200];
        float[] labels = new float[100];
        for (int i = 0; i < 100; i++)
        {
            matrix[2 * i] = i % 10;
            matrix[(2 * i) + 1] = i / 10;
            labels[i] = (float)((2 * (i % 10)) + (i / 10));
        }

        LightGbmDataset data = LightGbmDataset.FromMatrix(matrix, 100, 2, "verbosity=-1 min_data_in_leaf=5");
        data.SetLabels(labels);
        return data;
    }

    [Fact]
    public void BoosterCreate_UnknownObjective_ThrowsWithLightGbmMessage()
    {
        using LightGbmDataset data = Linear();

        var e = Assert.Throws<LightGbmException>(() => LightGbmBooster.Create(data, "objective=no_such_objective verbosity=-1"));

        Assert.Equal("LGBM_BoosterCreate", e.Function);
        Assert.Contains("no_such_objective", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromString_NotAModel_RefusedBeforeLightGbm()
    {
        var e = Assert.Throws<FormatException>(() => LightGbmBooster.LoadFromString("this is not a model", 2));

        Assert.Contains("does not start with 'tree'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetLabels_WrongCount_ThrowsBeforeNative()
    {
        using LightGbmDataset data = Linear();

        Assert.Throws<ArgumentException>(() => data.SetLabels(new float[3]));
    }

    [Fact]
    public void SaveToString_LoadFromString_ScoresTheSame()
    {
        using LightGbmDataset data = Linear();
        using LightGbmBooster booster = LightGbmBooster.Create(data, "objective=quantile alpha=0.5 min_data_in_leaf=5 num_threads=1 deterministic=true verbosity=-1");
        for (int i = 0; i < 20; i++)
        {
            booster.UpdateOneIteration();
        }

        string text = booster.SaveToString();
        using LightGbmBooster loaded = LightGbmBooster.LoadFromString(text, 2);
        double[] row = [7, 3];

        Assert.StartsWith("tree", text, StringComparison.Ordinal);
        Assert.Equal(booster.PredictRow(row), loaded.PredictRow(row));
        Assert.Equal(loaded.PredictRowParsed(row), loaded.PredictRow(row));
        Assert.InRange(loaded.PredictRow(row), 10, 24); // label 17, coarse after 20 rounds at 0.1
    }
}

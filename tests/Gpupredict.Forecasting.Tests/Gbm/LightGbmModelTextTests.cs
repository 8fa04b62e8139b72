using System.Text.RegularExpressions;
using CsCheck;
using Gpupredict.Forecasting.Gbm.Native;

namespace Gpupredict.Forecasting.Tests.Gbm;

/// <summary>The managed check in front of LightGBM's model parser: what LightGBM wrote passes, what it could not have written never reaches it.</summary>
public partial class LightGbmModelTextTests
{
    private static readonly Lazy<string> Text = new(Trained);

    /// <summary>20 rounds on 100 rows of 2 features, label = 2·x0 + x1: several trees of several leaves.</summary>
    private static string Trained()
    {
        double[] matrix = new double[200];
        float[] labels = new float[100];
        for (int i = 0; i < 100; i++)
        {
            matrix[2 * i] = i % 10;
            matrix[(2 * i) + 1] = i / 10;
            labels[i] = (float)((2 * (i % 10)) + (i / 10));
        }

        using LightGbmDataset data = LightGbmDataset.FromMatrix(matrix, 100, 2, "verbosity=-1 min_data_in_leaf=5");
        data.SetLabels(labels);
        using LightGbmBooster booster = LightGbmBooster.Create(data, "objective=quantile alpha=0.5 min_data_in_leaf=5 num_threads=1 deterministic=true verbosity=-1");
        for (int i = 0; i < 20; i++)
        {
            booster.UpdateOneIteration();
        }

        return booster.SaveToString();
    }

    [Fact]
    public void Check_TextLightGbmWrote_Passes()
    {
        LightGbmModelText.Check(Text.Value, 2);
    }

    [Fact]
    public void Check_OtherColumnCount_Refused()
    {
        var e = Assert.Throws<FormatException>(() => LightGbmModelText.Check(Text.Value, 3));
        Assert.Contains("max_feature_idx=1, expected 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tree=0\n", "Xree=0\n", "no 'Tree=0'")]
    [InlineData("Tree=1\n", "Xree=1\n", "tree 1 is not where tree_sizes puts it")]
    [InlineData("\nnum_cat=0\n", "\nnum_cat=1\n", "num_cat=1, expected 0")]
    [InlineData("\nis_linear=0\n", "\nis_linear=1\n", "is_linear=1, expected 0")]
    [InlineData("\nnum_class=1\n", "\nnum_class=3\n", "num_class=3, expected 1")]
    [InlineData("\nobjective=quantile\n", "\nobjective=qu4ntile\n", "objective is 'qu4ntile'")]
    [InlineData("\nleft_child=1 ", "\nleft_child=0 ", "node 0 has child 0")]
    [InlineData("\nleft_child=1 ", "\nleft_child=9 ", "node 0 has child 9")]
    [InlineData("\nsplit_feature=0", "\nsplit_feature=7", "node 0 splits feature 7")]
    [InlineData("\nshrinkage=", "\nshrinkagE=", "line 'shrinkagE=")]
    [InlineData("end of trees", "end of treez", "'end of trees'")]
    [InlineData("\nend of parameters\n", "\nend of parameterz\n", "'end of parameters'")]
    [InlineData("[boosting: gbdt]", "[boosting gbdt]!", "is not '[name: value]'")]
    [InlineData("tree\nversion=v4", "tree\nversion=v9", "version=v9, expected v4")]
    [InlineData("tree\n", "tre\0\n", "character 0x0 at 3")]
    public void Check_TextLightGbmCouldNotHaveWritten_RefusedSayingWhat(string from, string to, string expected)
    {
        string text = Text.Value;
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no '{from}' in the model text");
        string damaged = string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));

        var e = Assert.Throws<FormatException>(() => LightGbmModelText.Check(damaged, 2));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => LightGbmBooster.LoadFromString(damaged, 2));
    }

    [Fact]
    public void Check_TreeSizeOffByOne_Refused()
    {
        // LightGBM jumps to each tree by these sizes; one too many would read one character past a tree.
        string damaged = TreeSizes().Replace(Text.Value, m => $"tree_sizes={int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}", 1);

        var e = Assert.Throws<FormatException>(() => LightGbmModelText.Check(damaged, 2));
        Assert.Contains("is not where tree_sizes puts it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromString_AnyOneCharacterChanged_RefusedOrLoadsAndScores()
    {
        // Whatever the check lets through must be text LightGBM parses or refuses with an error
        // code, and a booster that scores: an abort here would end the test run.
        string text = Text.Value;
        Gen.Select(Gen.Int[0, text.Length - 1], Gen.Char["0123456789 \n=-.eTrx[]:"]).Sample((at, c) =>
        {
            string changed = string.Concat(text.AsSpan(0, at), c.ToString(), text.AsSpan(at + 1));
            try
            {
                LightGbmModelText.Check(changed, 2);
            }
            catch (FormatException)
            {
                return;
            }

            try
            {
                using LightGbmBooster booster = LightGbmBooster.LoadFromString(changed, 2);
                _ = booster.PredictRow([7, 3]);
            }
            catch (LightGbmException)
            {
            }
        }, iter: 3000);
    }

    [GeneratedRegex(@"tree_sizes=(\d+)")]
    private static partial Regex TreeSizes();
}

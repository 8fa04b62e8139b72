using CsCheck;
using Gpupredict.Forecasting.Ensemble;

namespace Gpupredict.Forecasting.Tests.Ensemble;

public class EnsembleWeightsTests
{
    private static readonly Gen<(double[] Losses, int Points, EnsembleOptions Options)> Cases =
        from losses in Gen.Double[0, 10].Array[2, EnsembleForecaster.MaxMembers]
        from points in Gen.Int[0, 200]
        from margin in Gen.Double[0, 0.5]
        from temperature in Gen.Double[0.001, 1]
        select (losses, points, new EnsembleOptions { Margin = margin, Temperature = temperature });

    [Fact]
    public void Weigh_AnyLosses_MixIsNoWorseThanTheAnchorAndOnlyMembersBeyondTheMarginWeigh()
    {
        Cases.Sample(c =>
        {
            double[] w = new double[c.Losses.Length];
            EnsembleWeights.Weigh(c.Losses, c.Points, c.Options, w);

            Assert.Equal(1, w.Sum(), 1e-12);
            double mixed = 0;
            for (int m = 0; m < w.Length; m++)
            {
                Assert.True(w[m] >= 0);
                Assert.True(m == 0 || w[m] == 0 || c.Losses[m] < (1 - c.Options.Margin) * c.Losses[0], $"member {m} weighs {w[m]} at loss {c.Losses[m]} vs anchor {c.Losses[0]}");
                mixed += w[m] * c.Losses[m];
            }

            // Pinball is convex, so the mixed forecast's loss is at most this weighted mean.
            Assert.True(mixed <= c.Losses[0] * (1 + 1e-12));
            if (c.Points < c.Options.MinPoints)
            {
                Assert.Equal(1, w[0]);
            }
        });
    }

    [Theory]
    [InlineData(1.0, 0.95, 0.0)] // 5 % better: at the margin, no weight
    [InlineData(1.0, 0.90, 0.632)] // margin + 1 temperature: (e - 1) / e
    [InlineData(1.0, 0.80, 0.950)] // margin + 3 temperatures: (e^3 - 1) / e^3
    [InlineData(1.0, 1.20, 0.0)] // worse
    [InlineData(0.0, 0.0, 0.0)] // the anchor is exact: nothing beats it
    public void Weigh_DefaultOptions_MemberWeightAsDocumented(double anchor, double member, double expected)
    {
        double[] w = new double[2];
        EnsembleWeights.Weigh([anchor, member], 50, new EnsembleOptions(), w);
        Assert.Equal(expected, w[1], 3);
    }
}

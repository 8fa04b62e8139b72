using CsCheck;
using Gpupredict.Forecasting.Ensemble;

namespace Gpupredict.Forecasting.Tests.Ensemble;

public class EnsembleWeightsTests
{
    private static readonly Gen<(double[] Losses, double[] SquaredGaps, int Points, EnsembleOptions Options)> Cases =
        from losses in Gen.Double[0, 10].Array[2, EnsembleForecaster.MaxMembers]
        from spread in Gen.Double[0, 5].Array[losses.Length]
        from points in Gen.Int[0, 200]
        from margin in Gen.Double[0, 0.5]
        from temperature in Gen.Double[0.001, 1]
        from confidence in Gen.Double[0, 3]
        select (losses, SquaredGaps(losses, spread), points, new EnsembleOptions { Margin = margin, Temperature = temperature, Confidence = confidence });

    [Fact]
    public void Weigh_AnyLosses_MixIsNoWorseThanTheAnchorAndOnlyMembersBeyondTheMarginWeigh()
    {
        Cases.Sample(c =>
        {
            double[] w = new double[c.Losses.Length];
            EnsembleWeights.Weigh(c.Losses, c.SquaredGaps, c.Points, c.Options, w);

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

    [Fact]
    public void Weigh_NoisyGap_NoWeightUntilTheGapClearsItsStandardError()
    {
        // 20 % better on average, the gap 0.2 ± 1 per point. At 50 points the standard error is
        // 1 / sqrt(50) = 0.141, and 2 of them (0.283) exceed the gap: no weight. At 400 points the
        // recent mean counts as (2 - rate) / rate = 288.5 points (half-life 100): 2 / sqrt(288.5) = 0.118,
        // advantage 0.2 - 0.118 - 0.02 = 0.062, weight (e^1.245 - 1) / e^1.245 = 0.712. A steady gap
        // (no variance) has advantage 0.18: (e^3.6 - 1) / e^3.6 = 0.973.
        double[] w = new double[2];
        double squaredGap = (0.2 * 0.2) + 1;
        EnsembleWeights.Weigh([1.0, 0.8], [0, squaredGap], 50, new EnsembleOptions(), w);
        Assert.Equal(0, w[1]);
        EnsembleWeights.Weigh([1.0, 0.8], [0, squaredGap], 400, new EnsembleOptions(), w);
        Assert.Equal(0.712, w[1], 3);
        EnsembleWeights.Weigh([1.0, 0.8], [0, 0.2 * 0.2], 50, new EnsembleOptions(), w);
        Assert.Equal(0.973, w[1], 3);
    }

    [Theory]
    [InlineData(1.0, 0.98, 0.0)] // 2 % better: at the margin, no weight
    [InlineData(1.0, 0.93, 0.632)] // margin + 1 temperature: (e - 1) / e
    [InlineData(1.0, 0.83, 0.950)] // margin + 3 temperatures: (e^3 - 1) / e^3
    [InlineData(1.0, 1.20, 0.0)] // worse
    [InlineData(0.0, 0.0, 0.0)] // the anchor is exact: nothing beats it
    public void Weigh_DefaultOptions_MemberWeightAsDocumented(double anchor, double member, double expected)
    {
        double[] w = new double[2];
        // A steady gap (its square is the squared gap): no standard error to clear.
        EnsembleWeights.Weigh([anchor, member], [0, (anchor - member) * (anchor - member)], 50, new EnsembleOptions(), w);
        Assert.Equal(expected, w[1], 3);
    }

    /// <summary>Second moments of the gaps to the anchor: the squared mean gap plus a variance.</summary>
    private static double[] SquaredGaps(double[] losses, double[] spread)
    {
        double[] squared = new double[losses.Length];
        for (int m = 1; m < losses.Length; m++)
        {
            double gap = losses[0] - losses[m];
            squared[m] = (gap * gap) + (spread[m] * spread[m]);
        }

        return squared;
    }
}

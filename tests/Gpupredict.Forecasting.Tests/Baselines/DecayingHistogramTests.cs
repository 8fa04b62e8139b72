using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class DecayingHistogramTests
{
    private const long HalfLife = 100;
    private static readonly ExponentialBuckets Buckets = BaselineBuckets.Sm;

    [Fact]
    public void Add_OneHalfLifeLater_WeighsTwiceAsMuch()
    {
        // Weight = 2^((step − reference)/halfLife): step 0 -> 2^0 = 1, step 100 -> 2^1 = 2.
        // Equivalently the older sample has lost half its weight relative to the newer one.
        var h = new DecayingHistogram(Buckets, HalfLife);
        h.Add(0.1, 1, 0);
        h.Add(0.5, 1, HalfLife);

        Assert.Equal(1.0, h.BucketWeight(36), 12);
        Assert.Equal(2.0, h.BucketWeight(66), 12);
        Assert.Equal(3.0, h.TotalWeight, 12);
    }

    [Fact]
    public void Percentile_Decay_MovesTheMedian()
    {
        // Same time: weights 1 + 1, p50 threshold 0.5·2 = 1 is reached in 0.1's bucket (36).
        var same = new DecayingHistogram(Buckets, HalfLife);
        same.Add(0.1, 1, 0);
        same.Add(0.5, 1, 0);
        // One half-life apart: weights 1 + 2, threshold 1.5 is passed only in 0.5's bucket (66).
        var apart = new DecayingHistogram(Buckets, HalfLife);
        apart.Add(0.1, 1, 0);
        apart.Add(0.5, 1, HalfLife);

        Assert.Equal(0.02 * (Math.Pow(1.05, 37) - 1), same.Percentile(0.5), 12);
        Assert.Equal(0.02 * (Math.Pow(1.05, 67) - 1), apart.Percentile(0.5), 12);
    }

    [Fact]
    public void Add_PastHundredHalfLives_RenormalizesAndForgetsTheOld()
    {
        // Step 101·100 exceeds reference + 100 half-lives: the reference moves to 10100 and the old
        // weight is scaled by 2^−101 ≈ 4e−31, below epsilon 1e−4, so its bucket counts as empty.
        var h = new DecayingHistogram(Buckets, HalfLife);
        h.Add(0.1, 1, 0);
        h.Add(0.5, 1, 101 * HalfLife);

        Assert.Equal(101 * HalfLife, h.ReferenceStep);
        Assert.Equal(1.0, h.TotalWeight, 12);
        Assert.Equal(0.02 * (Math.Pow(1.05, 67) - 1), h.Percentile(0.01), 12);
    }

    [Fact]
    public void Subtract_TheSampleAdded_LeavesItEmpty()
    {
        var h = new DecayingHistogram(Buckets, HalfLife);
        h.Add(0.3, 1, 5);
        h.Subtract(0.3, 1, 5);

        Assert.True(h.IsEmpty);
        Assert.Equal(0, h.Percentile(0.9));
    }
}

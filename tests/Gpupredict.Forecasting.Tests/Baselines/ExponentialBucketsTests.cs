using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class ExponentialBucketsTests
{
    // Bucket count = ceil(log(max·0.05/first + 1) / log 1.05) + 1:
    //   SM        max 1,    first 0.001: log 51   / log 1.05 = 80.6  -> 81 + 1 = 82
    //   bandwidth max 1e13, first 1e6:   log 5e5  / log 1.05 = 268.9 -> 269 + 1 = 270
    //   VRAM      max 1e12, first 1e7:   log 5001 / log 1.05 = 174.6 -> 175 + 1 = 176 (VPA's memory histogram)
    [Fact]
    public void Count_BaselineSchemes_MatchVpaFormula()
    {
        Assert.Equal(82, BaselineBuckets.Sm.Count);
        Assert.Equal(270, BaselineBuckets.Bandwidth.Count);
        Assert.Equal(176, BaselineBuckets.Vram.Count);
    }

    // 0.5: log(0.5·0.05/0.001 + 1)/log 1.05 = log 26/log 1.05 = 66.8 -> bucket 66, upper end 0.02·(1.05^67 − 1) = 0.5057.
    // 0.1: log 6/log 1.05 = 36.7 -> bucket 36, upper end 0.02·(1.05^37 − 1) = 0.1016.
    // Below the first bucket size (and 0) -> bucket 0, upper end 0.001; above the max -> the last bucket.
    [Theory]
    [InlineData(0.5, 66)]
    [InlineData(0.1, 36)]
    [InlineData(0.0, 0)]
    [InlineData(0.0005, 0)]
    [InlineData(5.0, 81)]
    public void Find_SmValue_Bucket(double value, int expected) => Assert.Equal(expected, BaselineBuckets.Sm.Find(value));

    [Fact]
    public void Upper_Bucket_IsStartOfNextBucket()
    {
        Assert.Equal(0.001, BaselineBuckets.Sm.Upper(0), 15);
        Assert.Equal(0.02 * (Math.Pow(1.05, 67) - 1), BaselineBuckets.Sm.Upper(66), 12);
        // The last bucket has no upper end: its start is reported.
        Assert.Equal(BaselineBuckets.Sm.Start(81), BaselineBuckets.Sm.Upper(81));
    }
}

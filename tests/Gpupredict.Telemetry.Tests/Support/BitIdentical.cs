using Gpupredict.Core.Demand;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>Asserts that two demand series hold the same doubles, bit for bit (not within a tolerance).</summary>
internal static class BitIdentical
{
    public static void Equal(IReadOnlyList<DemandSeries> expected, IReadOnlyList<DemandSeries> actual, string label)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], $"{label}, series {i}");
        }
    }

    public static void Equal(DemandSeries expected, DemandSeries actual, string label)
    {
        Assert.Equal(expected.App, actual.App);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.OriginNs, actual.OriginNs);
        Assert.Equal(expected.Observed, actual.Observed);
        Assert.Equal(expected.Count, actual.Count);
        foreach (Resource resource in Resources.All)
        {
            Equal(expected.Values(resource), actual.Values(resource), $"{label}, {resource}", 1);
        }

        for (int step = 0; step < expected.Count; step++)
        {
            Equal(expected.Activity!.At(step), actual.Activity!.At(step), $"{label}, activity", ActivitySeries.Channels);
        }
    }

    /// <summary>Equal doubles, bit for bit; <paramref name="stride"/> values per step, for the message.</summary>
    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string label, int stride)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{label}: step {i / stride}, value {i % stride}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}

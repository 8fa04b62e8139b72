using Gpupredict.Manager.Policies;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicyValuesTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("1048576", 1048576UL)]
    [InlineData("512B", 512UL)]
    [InlineData("1KiB", 1024UL)]
    [InlineData("3MiB", 3UL * 1024 * 1024)]
    [InlineData("8GiB", 8UL << 30)]
    [InlineData("2TiB", 2UL << 40)]
    [InlineData("1KB", 1000UL)]
    [InlineData("5MB", 5_000_000UL)]
    [InlineData("8GB", 8_000_000_000UL)]
    [InlineData("1TB", 1_000_000_000_000UL)]
    [InlineData(" 8 GiB ", 8UL << 30)]
    [InlineData("1048576TiB", 1UL << 60)]
    [InlineData("1152921504606846976", 1UL << 60)]
    public void ParseSize_Valid(string text, ulong expected)
    {
        Assert.Equal(ParseOutcome.Ok, PolicyValues.ParseSize(text, out ulong bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("eight", false)]
    [InlineData("", false)]
    [InlineData("GiB", false)]
    [InlineData("-1", false)]
    [InlineData("1.5GiB", false)]
    [InlineData("8gib", false)]
    [InlineData("8 G", false)]
    [InlineData("1e9", false)]
    [InlineData("1048577TiB", true)]
    [InlineData("1152921504606846977", true)]
    [InlineData("16777215TiB", true)]
    [InlineData("18446744073709551615", true)]
    [InlineData("18446744073709551616", true)]
    [InlineData("99999999999999999999999GiB", true)]
    public void ParseSize_Invalid(string text, bool tooLarge) =>
        Assert.Equal(tooLarge ? ParseOutcome.TooLarge : ParseOutcome.Malformed, PolicyValues.ParseSize(text, out _));

    [Theory]
    [InlineData("500ms", 500.0)]
    [InlineData("0ms", 0.0)]
    [InlineData("30s", 30_000.0)]
    [InlineData("1.5s", 1_500.0)]
    [InlineData("5m", 300_000.0)]
    [InlineData("2h", 7_200_000.0)]
    [InlineData(".5s", 500.0)]
    public void ParseDuration_Valid(string text, double milliseconds)
    {
        Assert.Equal(ParseOutcome.Ok, PolicyValues.ParseDuration(text, out TimeSpan d));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData("30", false)]
    [InlineData("s", false)]
    [InlineData("-1s", false)]
    [InlineData("1d", false)]
    [InlineData("1.2.3s", false)]
    [InlineData("3 0s", false)]
    [InlineData("300000000h", true)]
    [InlineData("99999999999999999999999999ms", true)]
    public void ParseDuration_Invalid(string text, bool tooLarge) =>
        Assert.Equal(tooLarge ? ParseOutcome.TooLarge : ParseOutcome.Malformed, PolicyValues.ParseDuration(text, out _));

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("25%", 0.25)]
    [InlineData("100%", 1.0)]
    [InlineData("12.5 %", 0.125)]
    public void TryParseShare_Valid(string text, double expected)
    {
        Assert.True(PolicyValues.TryParseShare(text, out double share));
        Assert.Equal(expected, share, 12);
    }

    [Theory]
    [InlineData("1.01")]
    [InlineData("101%")]
    [InlineData("-0.1")]
    [InlineData("%")]
    [InlineData("half")]
    [InlineData("NaN")]
    public void TryParseShare_Invalid(string text) => Assert.False(PolicyValues.TryParseShare(text, out _));

    [Theory]
    [InlineData(8UL << 30, "8GiB")]
    [InlineData(1536UL << 20, "1536MiB")]
    [InlineData(1000UL, "1000B")]
    [InlineData(0UL, "0B")]
    public void FormatSize_LargestExactUnit(ulong bytes, string expected) => Assert.Equal(expected, PolicyValues.FormatSize(bytes));
}

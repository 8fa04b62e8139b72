using Gpupredict.Manager.Policies;

namespace Gpupredict.Manager.Tests.Policies;

public class GlobTests
{
    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("**", "x", true)]
    [InlineData("?", "", false)]
    [InlineData("?", "a", true)]
    [InlineData("?", "ab", false)]
    [InlineData("a*", "a", true)]
    [InlineData("*a", "ba", true)]
    [InlineData("*a", "ab", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "abcbc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*.py", "x.py.py", true)]
    [InlineData("lmp_?pu", "lmp_gpu", true)]
    [InlineData("LMP", "lmp", false)]
    [InlineData("[ab]", "[ab]", true)]
    [InlineData("[ab]", "a", false)]
    [InlineData("/slurm/uid_*/job_*", "/slurm/uid_1/job_2/step_0", true)]
    public void IsMatch_Cases(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, text));

    [Fact]
    public void IsMatch_ManyStarsNoMatch_StaysFast()
    {
        string pattern = string.Concat(Enumerable.Repeat("a*", 50)) + "b";
        string text = new('a', 10_000);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(Glob.IsMatch(pattern, text));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("python3.11-worker", 17)]
    [InlineData("p*y?", 3)]
    [InlineData("***", 0)]
    public void MinimumLength_CountsNonStars(string pattern, int expected) =>
        Assert.Equal(expected, Glob.MinimumLength(pattern));
}

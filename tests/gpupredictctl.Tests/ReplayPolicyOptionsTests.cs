namespace Gpupredict.Ctl.Tests;

public sealed class ReplayPolicyOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Trace => RepoPaths.Fixture("kineto/df-index-resolver-v100.json.gz");

    [Fact]
    public void Replay_ShippedPolicyFile_Runs()
    {
        string policies = Path.Combine(RepoPaths.Root, "policies", "examples", "ml-node.yaml");
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "static-peak,forecast", "--policies", policies, Trace);

        Assert.True(code == 0, stderr);
        Assert.Contains("Policy comparison", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OversubscriptionOverride_Runs()
    {
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "forecast", "--oversubscription", "1", Trace);

        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Replay_BadPolicyFile_UsageErrorNamingFileLineAndColumn()
    {
        string path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, "version: 1\nnode:\n  reserv: { vram: 1GiB }\n");
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "static-peak", "--policies", path, Trace);

        Assert.Equal(2, code);
        Assert.Contains($"option --policies: {path}:3:3: node.reserv", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("5")]
    [InlineData("lots")]
    public void Replay_OversubscriptionOutOfRange_UsageError(string factor)
    {
        (int code, _, string stderr) = Cli.Run("replay", "--oversubscription", factor, Trace);

        Assert.Equal(2, code);
        Assert.Contains("option --oversubscription", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_AlibabaWithTraces_UsageError()
    {
        (int code, _, string stderr) = Cli.Run("replay", "--alibaba", _dir, Trace);

        Assert.Equal(2, code);
        Assert.Contains("option --alibaba: replay either traces or the Alibaba pods, not both", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_AlibabaEmptyFolder_OneCleanLineNamingTheFolder()
    {
        (int code, _, string stderr) = Cli.Run("replay", "--alibaba", _dir);

        Assert.Equal(1, code);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("gpupredictctl: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(_dir, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_AlibabaMissingFolder_OneCleanLine()
    {
        string missing = Path.Combine(_dir, "nope");
        (int code, _, string stderr) = Cli.Run("replay", "--alibaba", missing);

        Assert.Equal(1, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}

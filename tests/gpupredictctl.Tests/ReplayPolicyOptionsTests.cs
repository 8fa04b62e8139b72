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
    [InlineData("80", true)] // all of an H100's 80 GiB
    [InlineData("80", false, "--gpu-memory-gib", "96")]
    [InlineData("40", true, "--gpu-memory-gib", "40")]
    public void Replay_ReserveOfAWholeGpu_UsageError(string reserveGib, bool rejected, params string[] gpu)
    {
        string path = Path.Combine(_dir, "reserve.yaml");
        File.WriteAllText(path, $"version: 1\nnode: {{ reserve: {{ vram: {reserveGib}GiB }} }}\n");
        (int code, _, string stderr) = Cli.Run(["replay", "--policy", "static-peak", "--policies", path, .. gpu, Trace]);

        Assert.Equal(rejected ? 2 : 0, code);
        Assert.Equal(rejected, stderr.Contains($"{path}:2:26: node.reserve.vram: expected a reserve below the smallest GPU's memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_RuleOnTheApplicationsWord_WarnsAndRuns()
    {
        string path = Path.Combine(_dir, "forgeable.yaml");
        File.WriteAllText(path, "version: 1\nrules:\n  - { name: sim, match: { env: { SLURM_JOB_PARTITION: gpu } }, class: guaranteed }\n");
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "static-peak", "--policies", path, Trace);

        Assert.Equal(0, code);
        Assert.Contains($"warning: {path}:3:25: rules[0].match: rule \"sim\" grants priority guaranteed/100", stderr, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public void Replay_WorkConservingOverride_Runs(string mode)
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "forecast", "--work-conserving", mode, Trace);

        Assert.True(code == 0, stderr);
        Assert.Contains("Policy comparison", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_WorkConservingNeitherOnNorOff_UsageError()
    {
        (int code, _, string stderr) = Cli.Run("replay", "--work-conserving", "yes", Trace);

        Assert.Equal(2, code);
        Assert.Contains("option --work-conserving: expected on or off; found 'yes'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_FitGpus_PrintsTheSmallestNodePerPolicy()
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "static-peak,forecast", "--gpus", "4", "--fit-gpus", "50%", Trace);

        Assert.True(code == 0, stderr);
        Assert.Contains("Smallest node within 50% under-allocation", stdout, StringComparison.Ordinal);
        // One application: any policy serves it on one GPU within half its steps.
        Assert.Matches(@"static-peak\s+last-value\s+1\s", stdout);
        Assert.Contains("fit-gpus: forecast on 4 GPUs", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("100%")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void Replay_FitGpusBadBudget_UsageError(string budget)
    {
        (int code, _, string stderr) = Cli.Run("replay", "--fit-gpus", budget, Trace);

        Assert.Equal(2, code);
        Assert.Contains("option --fit-gpus", stderr, StringComparison.Ordinal);
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

namespace Gpupredict.Ctl.Tests;

/// <summary><c>train</c> writes a model that <c>replay --model</c> uses; mismatches and damage are clear errors.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Traces => RepoPaths.Fixtures;

    private string Model(string forecaster = "ewma", string horizon = "10")
    {
        string path = Path.Combine(_dir, $"{forecaster}-{horizon}.gpfc");
        (int code, string stdout, string stderr) = Cli.Run("train", "--forecaster", forecaster, "--horizon", horizon, "--out", path, Traces);
        Assert.True(code == 0, stderr);
        Assert.Contains($"{forecaster}: fitted on", stdout, StringComparison.Ordinal);
        return path;
    }

    [Fact]
    public void Train_ThenReplayWithTheModel_UsesItsForecaster()
    {
        string model = Model("conformal-ewma");
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "forecast", "--model", model, Traces);

        Assert.True(code == 0, stderr);
        Assert.Contains("conformal-ewma", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_Mlp_PrintsItsTrainingCurveOnStderr()
    {
        string path = Path.Combine(_dir, "mlp.gpfc");
        (int code, string stdout, string stderr) = Cli.Run("train", "--forecaster", "mlp", "--out", path, Traces);

        Assert.True(code == 0, stderr);
        Assert.Contains("mlp: fitted on", stdout, StringComparison.Ordinal);
        Assert.Contains("epoch  train-loss  validation-loss  learning-rate", stderr, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+1\s+\d+\.\d{5}\s+\d+\.\d{5}\s+0\.002$", stderr);
    }

    [Fact]
    public void Replay_ModelOfAnotherHorizon_UsageErrorSayingBoth()
    {
        string model = Model("ewma", "5");
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "forecast", "--model", model, Traces);

        Assert.Equal(2, code);
        Assert.Contains("forecasts 5 steps", stderr, StringComparison.Ordinal);
        Assert.Contains("needs 10 steps", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_ModelWithoutTheGrantedLevel_UsageErrorNamingIt()
    {
        // The model carries the planning grid (p99, p99.9, ...), not p95: granting p95 must not round to p99.
        string model = Model();
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "forecast", "--upper-quantile", "0.95", "--model", model, Traces);

        Assert.Equal(2, code);
        Assert.Contains("the planner reads the upper quantile 0.95, which is not among them", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_UpperQuantileOffTheGrid_ForecastersCarryIt()
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "forecast", "--upper-quantile", "0.95", Traces);

        Assert.True(code == 0, stderr);
        Assert.Contains("forecast", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_DamagedModel_OneLineAndExit1()
    {
        string path = Path.Combine(_dir, "damaged.gpfc");
        byte[] bytes = File.ReadAllBytes(Model());
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "forecast", "--model", path, Traces);

        Assert.Equal(1, code);
        Assert.StartsWith($"gpupredictctl: {path}: saved forecaster is truncated", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Replay_GbmModelWithTree0RenamedXree0_OneLineNamingTheFileAndExit1()
    {
        // One changed byte in a LightGBM tree used to reach LightGBM's parser, which aborted the process.
        string path = Path.Combine(_dir, "xree.gpfc");
        byte[] bytes = File.ReadAllBytes(Model("gbm"));
        bytes[bytes.AsSpan().IndexOf("Tree=0"u8)] = (byte)'X';
        File.WriteAllBytes(path, bytes);
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "forecast", "--model", path, Traces);

        Assert.Equal(1, code);
        Assert.StartsWith($"gpupredictctl: {path}: saved forecaster checksum mismatch (file damaged or edited): expected ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("train", "--forecaster", "ewma")]
    [InlineData("train", "--out", "x.gpfc", "--forecaster", "no-such-model")]
    [InlineData("train", "--out", "x.gpfc", "--pods", "even")]
    [InlineData("replay", "--model", "x.gpfc", "--forecaster", "gbm")]
    public void BadOptions_UsageError(params string[] args)
    {
        (int code, _, string stderr) = Cli.Run([.. args, Traces]);

        Assert.Equal(2, code);
        Assert.StartsWith("gpupredictctl: ", stderr, StringComparison.Ordinal);
    }
}

using System.Text.Json;

namespace Gpupredict.Ctl.Tests;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replay_BundledTraces_ComparesFivePoliciesAndWritesJson()
    {
        string json = Path.Combine(_dir, "replay.json");
        (int code, string stdout, string stderr) = Cli.Run("replay", "--gpus", "4", "--json", json, RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("Comparison (node totals)", stdout, StringComparison.Ordinal);
        Assert.Contains("Policy comparison", stdout, StringComparison.Ordinal);
        Assert.Contains("Targets (forecast, forecaster ewma)", stdout, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        JsonElement results = doc.RootElement.GetProperty("results");
        Assert.Equal(5, results.GetArrayLength());
        Assert.Equal("static-peak", results[0].GetProperty("planner").GetString());
        Assert.True(results[3].GetProperty("total").GetProperty("steps").GetInt64() > 0);
        JsonElement comparison = doc.RootElement.GetProperty("comparison");
        Assert.Equal(["static-peak", "reactive", "hami", "forecast", "oracle"], comparison.EnumerateArray().Select(r => r.GetProperty("policy").GetString()));
        Assert.Equal(0, comparison[4].GetProperty("under_allocated_steps").GetInt64());
        Assert.Equal(7, doc.RootElement.GetProperty("targets").GetArrayLength());
    }

    [Fact]
    public void Replay_Details_OneTablePerPolicy()
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--details", "--policy", "static-peak,forecast", RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("Policy static-peak (forecaster last-value)", stdout, StringComparison.Ordinal);
        Assert.Contains("Policy forecast (forecaster ewma)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_Plots_WritesThreeSvgFiles()
    {
        string plots = Path.Combine(_dir, "plots", "nested");
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "static-peak,oracle", "--plots", plots, RepoPaths.Fixture("kineto/df-index-resolver-v100.json.gz"));

        Assert.True(code == 0, stderr);
        Assert.Equal(["comparison-bars.svg", "comparison-sm.svg", "comparison-vram.svg"], Directory.GetFiles(plots).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in Directory.GetFiles(plots))
        {
            Assert.Equal("svg", System.Xml.Linq.XDocument.Load(file).Root!.Name.LocalName);
        }
    }

    [Fact]
    public void Replay_Copies_EachCopyReplayedLater()
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--policy", "oracle", "--copies", "3", "--stagger-steps", "20", RepoPaths.Fixture("kineto/df-index-resolver-v100.json.gz"));

        Assert.True(code == 0, stderr);
        Assert.Contains("Replay of 3 application(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("#2", stdout, StringComparison.Ordinal);
        Assert.Matches(@"#2\s+40\s", stdout);
    }

    [Fact]
    public void Import_Csv_WritesOneSeriesPerProcessWithHeader()
    {
        string trace = Path.Combine(RepoPaths.Fixtures, "kineto", "alexnet-a100.json.gz");
        (int code, string stdout, string stderr) = Cli.Run("import", "--csv", _dir, trace);

        Assert.True(code == 0, stderr);
        Assert.Contains("kineto", stdout, StringComparison.OrdinalIgnoreCase);
        string csv = Assert.Single(Directory.GetFiles(_dir, "*.csv"));
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("step,time_ms,sm_fraction,bandwidth_bytes_per_s,vram_bytes", lines[0]);
        Assert.True(lines.Length > 100);
    }
}

using System.Text.Json;

namespace Gpupredict.Ctl.Tests;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replay_BundledTraces_ReportsBothPoliciesAndWritesJson()
    {
        string json = Path.Combine(_dir, "replay.json");
        (int code, string stdout, string stderr) = Cli.Run("replay", "--json", json, RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("Policy static-peak", stdout, StringComparison.Ordinal);
        Assert.Contains("Policy forecast", stdout, StringComparison.Ordinal);
        Assert.Contains("Comparison (node totals)", stdout, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Equal("static-peak", doc.RootElement[0].GetProperty("planner").GetString());
        Assert.True(doc.RootElement[1].GetProperty("total").GetProperty("steps").GetInt64() > 0);
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

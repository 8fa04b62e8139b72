using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gpupredict.Ctl.Tests;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Backtest_BundledTraces_PrintsTableRankingAndJson()
    {
        string json = Path.Combine(_dir, "backtest.json");
        (int code, string stdout, string stderr) = Cli.Run("backtest", "--forecaster", "ewma", "--horizon", "4", "--json", json, RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("== traces:", stdout, StringComparison.Ordinal);
        Assert.Contains("s-pinball", stdout, StringComparison.Ordinal);
        Assert.Contains("cover80", stdout, StringComparison.Ordinal);
        Assert.Contains("1-4", stdout, StringComparison.Ordinal);
        Assert.Contains("ranking by mean scaled pinball", stdout, StringComparison.Ordinal);
        Assert.Contains("1. ewma", stdout, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        JsonElement source = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("traces", source.GetProperty("source").GetString());
        // ewma was asked for; last-value, the other baseline, always runs beside it.
        Assert.Equal(["ewma", "last-value"], source.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("forecaster").GetString()));
        JsonElement model = source.GetProperty("models")[0];
        Assert.Equal(4, model.GetProperty("horizon").GetInt32());
        Assert.True(model.GetProperty("origins").GetInt64() > 0);
        Assert.Equal(4, model.GetProperty("resources")[0].GetProperty("by_horizon").GetArrayLength());
    }

    [Fact]
    public void Backtest_ByApplication_FoldsOfTraceFilesAndSkillAgainstBothBaselines()
    {
        string json = Path.Combine(_dir, "by-app.json");
        (int code, string stdout, string stderr) = Cli.Run("backtest", "--forecaster", "gbm", "--split", "by-application", "--folds", "3", "--json", json, RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("by application: 3 folds", stdout, StringComparison.Ordinal);
        Assert.Contains("vs last-value", stdout, StringComparison.Ordinal);
        Assert.Contains("vs ewma", stdout, StringComparison.Ordinal);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("gbm ", StringComparison.Ordinal) && l.Contains(" onset ", StringComparison.Ordinal));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        JsonElement source = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("by_application", source.GetProperty("split").GetString());
        JsonElement gbm = source.GetProperty("models")[0];
        Assert.Equal(3, gbm.GetProperty("folds").GetInt32());
        JsonElement vsEwma = source.GetProperty("skill").GetProperty("gbm")[1];
        Assert.Equal("ewma", vsEwma.GetProperty("baseline").GetString());
        double skill = vsEwma.GetProperty("overall").GetDouble();
        double expected = 1 - (gbm.GetProperty("mean_scaled_pinball").GetDouble() / source.GetProperty("models")[2].GetProperty("mean_scaled_pinball").GetDouble());
        Assert.Equal(expected, skill, 9);
    }

    [Fact]
    public void Backtest_ByApplicationOnOneApplication_ExitTwoSayingWhy()
    {
        (int code, _, string stderr) = Cli.Run("backtest", "--forecaster", "ewma", "--split", "by-application", Path.Combine(RepoPaths.Fixtures, "kineto", "alexnet-a100.json.gz"));

        Assert.Equal(2, code);
        Assert.Contains("at least 2 applications", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_EveryRegisteredForecaster_RanksThemAll()
    {
        (int code, string stdout, string stderr) = Cli.Run("backtest", "--origin-every", "5", RepoPaths.Fixtures);

        Assert.True(code == 0, stderr);
        Assert.Contains("ewma", stdout, StringComparison.Ordinal);
        Assert.Contains("  1. ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_AlibabaFolder_OneSeriesPerPodAt57Seconds()
    {
        WriteGenAi("pod_gpu_duty_cycle_anon.csv", "value,timestamp_anon,container_ip", i => $"{i % 100},{1000 + (57 * i)}.0,podA");
        WriteGenAi("pod_gpu_memory_used_bytes_anon.csv", "timestamp_anon,value,container_ip", i => $"{1000 + (57 * i)}.0,{1e9 + (i * 1e6)},podA");

        (int code, string stdout, string stderr) = Cli.Run("backtest", "--forecaster", "ewma", "--alibaba", _dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("== alibaba-genai: 1 series", stdout, StringComparison.Ordinal);
        Assert.Contains("step 57 s", stdout, StringComparison.Ordinal);
        Assert.Contains("vram", stdout, StringComparison.Ordinal);
        string[] rows = [.. stdout.Split('\n').Where(l => l.StartsWith("ewma ", StringComparison.Ordinal))];
        Assert.Equal(4, rows.Length); // sm and vram at h = 1 and 1..H; bandwidth is not in the trace, so not scored
        Assert.DoesNotContain(rows, r => r.Contains("bandwidth", StringComparison.Ordinal));
    }

    [Fact]
    public void Backtest_BadAlibabaFile_ExitOneNamingFileAndLine()
    {
        string path = Path.Combine(_dir, "pod_gpu_duty_cycle_anon.csv");
        File.WriteAllText(path, "value,timestamp_anon,container_ip\n1,100,a\n250,157,a\n");

        (int code, _, string stderr) = Cli.Run("backtest", "--alibaba", _dir);

        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gpupredictctl: {path}: line 3, field 'value'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_AlibabaFolderWithoutFiles_ExitOne()
    {
        (int code, _, string stderr) = Cli.Run("backtest", "--alibaba", _dir);

        Assert.Equal(1, code);
        Assert.Contains("pod_gpu_duty_cycle_anon", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--horizon", "0")]
    [InlineData("--origin-every", "0")]
    [InlineData("--train-fraction", "1.5")]
    [InlineData("--forecaster", "no-such-model")]
    [InlineData("--bogus", "1")]
    [InlineData("--split", "by-pod")]
    [InlineData("--folds", "1")]
    [InlineData("--burst-margin", "0")]
    public void Backtest_BadOption_ExitTwo(string option, string value)
    {
        (int code, _, string stderr) = Cli.Run("backtest", option, value, RepoPaths.Fixtures);

        Assert.Equal(2, code);
        Assert.StartsWith("gpupredictctl: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_NoInput_ExitTwo()
    {
        (int code, _, string stderr) = Cli.Run("backtest");

        Assert.Equal(2, code);
        Assert.Contains("nothing to backtest", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Backtest_PrintsUsage()
    {
        (int code, string stdout, _) = Cli.Run("help", "backtest");

        Assert.Equal(0, code);
        Assert.Contains("--train-fraction", stdout, StringComparison.Ordinal);
    }

    private void WriteGenAi(string name, string header, Func<int, string> row)
    {
        var text = new StringBuilder(header).Append('\n');
        for (int i = 0; i < 120; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row(i)}\n");
        }

        File.WriteAllText(Path.Combine(_dir, name), text.ToString());
    }
}

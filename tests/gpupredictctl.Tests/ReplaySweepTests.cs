using System.Xml.Linq;

namespace Gpupredict.Ctl.Tests;

/// <summary><c>replay --sweep</c>: the trade-off table and picture.</summary>
public sealed class ReplaySweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Sweep_PrintsEverySettingAndDrawsTheTradeoff()
    {
        (int code, string stdout, string stderr) = Cli.Run("replay", "--sweep", "--gpus", "2", "--plots", _dir, RepoPaths.Fixture("nsys/cloverleaf-a100.sqlite"));

        Assert.True(code == 0, stderr);
        foreach (string row in (string[])["static-peak", "reactive", "hami", "oracle", "forecast p90 x1 ", "forecast p99 x1.5", "forecast p99.9 x1", "forecast p99 x1.5 wc", "forecast p90 x1 wc"])
        {
            Assert.Contains(row, stdout, StringComparison.Ordinal);
        }

        XDocument svg = XDocument.Load(Path.Combine(_dir, "tradeoff.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(16, svg.Descendants(ns + "circle").Count());
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "forecast p99.9 x1.5");
    }

    [Fact]
    public void NoSweep_NoTradeoffPlot()
    {
        (int code, _, string stderr) = Cli.Run("replay", "--policy", "static-peak,forecast", "--plots", _dir, RepoPaths.Fixture("nsys/cloverleaf-a100.sqlite"));

        Assert.True(code == 0, stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "tradeoff.svg")));
    }
}

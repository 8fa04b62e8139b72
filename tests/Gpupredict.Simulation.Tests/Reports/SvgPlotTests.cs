using System.Xml.Linq;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;
using static Gpupredict.Simulation.Tests.Comparison.ComparisonTestData;

namespace Gpupredict.Simulation.Tests.Reports;

public class SvgPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void ToString_LinesBarsAndHostileText_WellFormedAndEscaped()
    {
        var plot = new SvgPlot(400, 300);
        plot.LinePanel(0, 0, 400, 150, "a <b> & \"c\" 'd'", "time (s)", "SM", 10, 1,
            [new PlotSeries("used <x>", "#000", [(0, 0.1), (5, 0.9), (10, 0.3)]), new PlotSeries("allocated", "#f00", [(0, 0.5), (10, 0.5)], Dashed: true)]);
        plot.BarPanel(0, 150, 400, 150, "bars", "%", [new PlotBar("p&q", 12.5, "#00f"), new PlotBar("r", 0, "#0f0")], v => $"{v}%");

        XDocument doc = XDocument.Parse(plot.ToString());

        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal(2, doc.Descendants(Svg + "polyline").Count());
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "a <b> & \"c\" 'd'");
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "used <x>");
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "p&q");
    }

    [Theory]
    [InlineData("a&b", "a&amp;b")]
    [InlineData("<\"'>", "&lt;&quot;&apos;&gt;")]
    [InlineData("bell\u0007", "bell")]
    public void Escape_Text_XmlSafe(string text, string expected) => Assert.Equal(expected, SvgPlot.Escape(text));

    [Theory]
    [InlineData(0.93, 1)]
    [InlineData(7.3, 8)]
    [InlineData(0, 1)]
    [InlineData(130, 150)] // ticks of 50 (130 / 5 = 26, rounded up to 50): 0, 50, 100, 150
    public void NiceMax_Value_RoundAxisEnd(double max, double expected) => Assert.Equal(expected, SvgPlot.NiceMax(max), 9);

    [Fact]
    public void Render_LongReplay_ThreeDeterministicDocumentsAtMost2000PointsPerLine()
    {
        ReplayApp[] apps = [App(1, [.. Enumerable.Range(0, 5000).Select(i => (i % 7) / 10.0)], [.. Enumerable.Repeat(3.0, 5000)])];
        ComparisonResult Compare() => PolicyComparison.Run(apps,
            [new PolicyEntry("static-peak", () => new StaticPeakPlanner(), () => new LastValueForecaster(10, [0.1, 0.5, 0.99]))],
            () => new SimulatedGpuNode([SimulatedGpuSpec.H100Sxm(0)], new SimulatedCosts()));

        IReadOnlyList<(string File, string Svg)> first = ComparisonPlots.Render(Compare());
        IReadOnlyList<(string File, string Svg)> second = ComparisonPlots.Render(Compare());

        Assert.Equal(["comparison-sm.svg", "comparison-vram.svg", "comparison-bars.svg"], first.Select(p => p.File));
        Assert.Equal(first, second);
        foreach ((_, string svg) in first)
        {
            XDocument doc = XDocument.Parse(svg);
            foreach (XElement line in doc.Descendants(Svg + "polyline"))
            {
                Assert.InRange(line.Attribute("points")!.Value.Split(' ').Length, 1, ComparisonPlots.MaxPoints);
            }
        }

        Assert.Equal(2, XDocument.Parse(first[0].Svg).Descendants(Svg + "polyline").Count());
        // Four bar panels (apps/GPU, SM slack, VRAM slack, under-allocation), one bar each for the one policy.
        Assert.Equal(4, XDocument.Parse(first[2].Svg).Descendants(Svg + "rect").Count(r => r.Attribute("fill")?.Value == "#7f7f7f"));
    }
}

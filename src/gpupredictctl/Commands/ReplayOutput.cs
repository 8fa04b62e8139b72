using System.Globalization;
using System.Text.Json;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;

namespace Gpupredict.Ctl.Commands;

/// <summary>What <c>replay</c> writes: the report, the comparison and sizing tables, the plots and the JSON.</summary>
internal static class ReplayOutput
{
    /// <summary>The report, the comparison table and (with --plots) its pictures.</summary>
    public static void WriteComparison(ReplayOptions o, ReplaySetup setup, ComparisonResult comparison, TextWriter stdout, TextWriter stderr)
    {
        ReplayReportWriter.Write(stdout, setup.Apps, [.. comparison.Runs.Select(r => r.Result)], o.Details);
        stdout.WriteLine();
        stdout.WriteLine("Policy comparison");
        ComparisonTableWriter.Write(stdout, comparison);
        if (o.Plots is not null)
        {
            WritePlots(o.Plots, comparison, o.Sweep, stderr);
        }
    }

    /// <summary>The sizing table and (with --plots) its picture, when the node was sized; then (with --json) the whole result.</summary>
    public static void WriteSizes(ReplayOptions o, ReplaySetup setup, ComparisonResult comparison, IReadOnlyList<NodeSize>? sizes, TextWriter stdout, TextWriter stderr)
    {
        if (sizes is not null && o.FitBudget is double budget)
        {
            stdout.WriteLine();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Smallest node within {budget * 100:0.###}% under-allocation"));
            NodeSizeTableWriter.Write(stdout, sizes, budget, setup.Gpus);
            if (o.Plots is not null)
            {
                WriteSvg(Path.Combine(o.Plots, NodeSizePlot.File), NodeSizePlot.Render(sizes, budget, setup.Gpus));
                stderr.WriteLine($"wrote {NodeSizePlot.File} in {o.Plots}");
            }
        }

        if (o.Json is not null)
        {
            PolicyFigures[] rows = [.. comparison.Figures];
            var document = new
            {
                Results = comparison.Runs.Select(r => r.Result).ToArray(),
                Comparison = rows,
                Targets = comparison.Find(ComparisonTableWriter.OwnPolicy) is { } own ? ComparisonTargets.Check(own.Figures) : [],
                NodeSizes = sizes,
            };
            AtomicFile.Write(o.Json, stream => JsonSerializer.Serialize(stream, document, JsonOptions.Report));
            stderr.WriteLine($"wrote {o.Json}");
        }
    }

    private static void WritePlots(string dir, ComparisonResult comparison, bool sweep, TextWriter stderr)
    {
        if (File.Exists(dir))
        {
            throw new UsageException($"option --plots: '{dir}' is a file; expected a folder (it is created when missing)");
        }

        Directory.CreateDirectory(dir);
        IEnumerable<(string File, string Svg)> documents = ComparisonPlots.Render(comparison);
        if (sweep)
        {
            documents = documents.Append((TradeoffPlot.File, TradeoffPlot.Render(comparison)));
        }

        foreach ((string file, string svg) in documents)
        {
            WriteSvg(Path.Combine(dir, file), svg);
        }

        stderr.WriteLine($"wrote {ComparisonPlots.SmFile}, {ComparisonPlots.VramFile}, {ComparisonPlots.BarsFile}{(sweep ? $", {TradeoffPlot.File}" : "")} in {dir}");
    }

    /// <summary>Writes one picture whole or not at all, UTF-8 without a byte-order mark.</summary>
    private static void WriteSvg(string path, string svg) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(svg);
    });
}

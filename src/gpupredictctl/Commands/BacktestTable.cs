using System.Globalization;
using System.Text;
using Gpupredict.Core.Demand;
using Gpupredict.Training.Evaluation;

namespace Gpupredict.Ctl.Commands;

/// <summary>Prints a <see cref="BacktestReport"/>: model × resource rows at h = 1 and pooled over h = 1..H, then the ranking.</summary>
internal static class BacktestTable
{
    private static readonly CompositeFormat RowFormat = CompositeFormat.Parse("{0,-16} {1,-10} {2,-6} {3,10} {4,12} {5,8} {6,12} {7,8} {8,12} {9,10}");

    public static void Write(TextWriter w, BacktestReport report)
    {
        w.WriteLine(Invariant($"== {report.Source}: {report.Series} series; {report.Note}"));
        w.WriteLine(Invariant($"   train on the first {report.TrainFraction:P0} of each series, forecast every {report.OriginEvery} step(s) after; scaled pinball = pinball / mean |actual|"));
        w.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat, "model", "resource", "h", "s-pinball", "MAE", "cover80", "width80", "cover98", "width98", "points"));
        foreach (BacktestResult model in report.Models)
        {
            foreach (ResourceBacktest r in model.Resources)
            {
                Row(w, model.Forecaster, r.Resource, "1", r.ByHorizon[0]);
                Row(w, model.Forecaster, r.Resource, $"1-{model.Horizon}", r.AllHorizons);
            }
        }

        w.WriteLine(Invariant($"ranking by mean scaled pinball over resources, h = 1..H (lower is better):"));
        IReadOnlyList<string> ranking = report.Ranking;
        for (int i = 0; i < ranking.Count; i++)
        {
            BacktestResult m = report.Models.First(x => x.Forecaster == ranking[i]);
            w.WriteLine(Invariant($"  {i + 1}. {m.Forecaster,-16} {Number(m.MeanScaledPinball, "0.0000")}"));
        }

        w.WriteLine();
    }

    private static void Row(TextWriter w, string model, Resource resource, string h, BacktestScore s) =>
        w.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            RowFormat,
            model,
            Name(resource),
            h,
            Number(s.ScaledPinball, "0.0000"),
            Amount(resource, s.Mae),
            Number(s.Coverage80, "0.000"),
            s.Width80 is double w80 ? Amount(resource, w80) : "-",
            Number(s.Coverage98, "0.000"),
            s.Width98 is double w98 ? Amount(resource, w98) : "-",
            s.Points));

    private static string Name(Resource resource) => resource switch
    {
        Resource.Sm => "sm",
        Resource.MemoryBandwidth => "bandwidth",
        _ => "vram",
    };

    /// <summary>SM as a fraction; bytes and bytes/s with decimal SI prefixes, as the data sets' READMEs quote them.</summary>
    private static string Amount(Resource resource, double value)
    {
        if (resource == Resource.Sm)
        {
            return value.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        string unit = resource == Resource.Vram ? "B" : "B/s";
        string[] prefixes = ["", "k", "M", "G", "T"];
        int p = 0;
        while (Math.Abs(value) >= 1000 && p < prefixes.Length - 1)
        {
            value /= 1000;
            p++;
        }

        return Invariant($"{value:0.00} {prefixes[p]}{unit}");
    }

    private static string Number(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

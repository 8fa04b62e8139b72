using System.Globalization;
using System.Text;
using Gpupredict.Core.Demand;
using Gpupredict.Training.Evaluation;

namespace Gpupredict.Ctl.Commands;

/// <summary>Prints a <see cref="BacktestReport"/>: model × resource rows at h = 1, pooled over h = 1..H and at burst onsets, then the ranking with skill against the baselines.</summary>
internal static class BacktestTable
{
    private static readonly int[] LongHorizonSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

    private static readonly CompositeFormat RowFormat = CompositeFormat.Parse("{0,-16} {1,-10} {2,-6} {3,10} {4,12} {5,8} {6,12} {7,8} {8,12} {9,10}");

    public static void Write(TextWriter w, BacktestReport report, bool perHorizon = false)
    {
        w.WriteLine(Invariant($"== {report.Source}: {report.Series} series; {report.Note}"));
        w.WriteLine(report.Split == BacktestSplit.ByApplication
            ? Invariant($"   by application: {Folds(report)} folds, each scored from its first step by a model fitted on the other folds only; forecast every {report.OriginEvery} step(s); scaled pinball = pinball / mean |actual|")
            : Invariant($"   train on the first {report.TrainFraction:P0} of each series, forecast every {report.OriginEvery} step(s) after; scaled pinball = pinball / mean |actual|"));
        w.WriteLine(Invariant($"   onset = points where demand rose past the origin's value by more than {report.BurstMargin:0.##} x the series' range, h = 1..H"));
        w.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat, "model", "resource", "h", "s-pinball", "MAE", "cover80", "width80", "cover98", "width98", "points"));
        foreach (BacktestResult model in report.Models)
        {
            foreach (ResourceBacktest r in model.Resources)
            {
                Row(w, model.Forecaster, r.Resource, "1", r.ByHorizon[0]);
                Row(w, model.Forecaster, r.Resource, $"1-{model.Horizon}", r.AllHorizons);
                if (r.BurstOnsets.Points > 0)
                {
                    // Scaled by the resource's mean |actual| over all points, as the ranking's onset column.
                    Row(w, model.Forecaster, r.Resource, "onset", r.BurstOnsets with { ScaledPinball = r.AllHorizons.MeanAbsActual > 0 ? r.BurstOnsets.Pinball / r.AllHorizons.MeanAbsActual : null });
                }
            }
        }

        if (perHorizon)
        {
            WritePerHorizon(w, report);
        }

        w.WriteLine(Invariant($"ranking by mean scaled pinball over resources, h = 1..H (lower is better); skill = 1 - pinball / baseline's:"));
        IReadOnlyDictionary<string, IReadOnlyList<ForecastSkill>> skill = report.Skill;
        w.WriteLine(Invariant($"     {"model",-16} {"s-pinball",9} {"onset",9}") + string.Concat(skill.Values.FirstOrDefault()?.Select(b => Invariant($" {"vs " + b.Baseline,12} {"onset",7}")) ?? []));
        IReadOnlyList<string> ranking = report.Ranking;
        for (int i = 0; i < ranking.Count; i++)
        {
            BacktestResult m = report.Models.First(x => x.Forecaster == ranking[i]);
            string skills = string.Concat(skill[m.Forecaster].Select(b => Invariant($" {Percent(b.Overall),12} {Percent(b.BurstOnsets),7}")));
            w.WriteLine(Invariant($"  {i + 1}. {m.Forecaster,-16} {Number(m.MeanScaledPinball, "0.0000"),9} {Number(m.MeanScaledBurstPinball, "0.0000"),9}") + skills);
        }

        w.WriteLine();
    }

    /// <summary>Scaled pinball and 80 % coverage at each shown horizon step, one line per model and resource.</summary>
    private static void WritePerHorizon(TextWriter w, BacktestReport report)
    {
        int horizon = report.Models.Count == 0 ? 0 : report.Models.Max(m => m.Horizon);
        int[] shown = Shown(horizon);
        w.WriteLine("per horizon step h (scaled pinball / 80 % coverage):");
        w.WriteLine(Invariant($"{"model",-16} {"resource",-10} ") + string.Join(" ", shown.Select(h => Invariant($"{"h=" + h,13}"))));
        foreach (BacktestResult model in report.Models)
        {
            foreach (ResourceBacktest r in model.Resources)
            {
                IEnumerable<string> cells = shown.Select(h => h <= r.ByHorizon.Count
                    ? Invariant($"{Number(r.ByHorizon[h - 1].ScaledPinball, "0.000") + "/" + Number(r.ByHorizon[h - 1].Coverage80, "0.00"),13}")
                    : Invariant($"{"-",13}"));
                w.WriteLine(Invariant($"{model.Forecaster,-16} {Name(r.Resource),-10} ") + string.Join(" ", cells));
            }
        }
    }

    /// <summary>Every step up to 10; beyond, a few representative ones.</summary>
    private static int[] Shown(int horizon) => horizon <= 10
        ? [.. Enumerable.Range(1, horizon)]
        : [.. LongHorizonSteps.Where(h => h < horizon), horizon];

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

    private static int Folds(BacktestReport report) => report.Models.Count == 0 ? 0 : report.Models[0].Folds;

    private static string Percent(double? value) => value is double v ? v.ToString("+0.0 %;-0.0 %;0.0 %", CultureInfo.InvariantCulture) : "-";

    private static string Number(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

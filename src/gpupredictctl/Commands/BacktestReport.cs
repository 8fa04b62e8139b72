using Gpupredict.Training.Evaluation;

namespace Gpupredict.Ctl.Commands;

/// <summary>The backtest of every model on one data source, as printed and as written to JSON.</summary>
/// <param name="Source">The data source's name.</param>
/// <param name="StepSeconds">Length of one step in that source.</param>
/// <param name="Series">Series evaluated.</param>
/// <param name="Note">What the data is.</param>
/// <param name="Split">How training and scored data were separated.</param>
/// <param name="TrainFraction">Share of each series used for training (per-series split).</param>
/// <param name="OriginEvery">Forecasts were made every this many steps.</param>
/// <param name="BurstMargin">A burst onset is a rise past the origin's value by more than this share of the series' range.</param>
/// <param name="Models">One result per forecaster, in the order asked for, then the baselines not asked for.</param>
internal sealed record BacktestReport(string Source, double StepSeconds, int Series, string Note, BacktestSplit Split, double TrainFraction, int OriginEvery, double BurstMargin, IReadOnlyList<BacktestResult> Models)
{
    /// <summary>The baselines every model's skill is measured against: persistence and ewma.</summary>
    public static IReadOnlyList<string> Baselines { get; } = ["last-value", "ewma"];

    /// <summary>Each model's skill against each baseline that ran, keyed by model name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ForecastSkill>> Skill =>
        Models.ToDictionary(
            m => m.Forecaster,
            m => (IReadOnlyList<ForecastSkill>)[.. Baselines.Select(b => Models.FirstOrDefault(x => x.Forecaster == b)).OfType<BacktestResult>().Select(b => ForecastSkill.Of(m, b))],
            StringComparer.Ordinal);

    /// <summary>Forecaster names, best (lowest mean scaled pinball) first; models without one last, by name.</summary>
    public IReadOnlyList<string> Ranking =>
        [.. Models.OrderBy(m => m.MeanScaledPinball ?? double.PositiveInfinity).ThenBy(m => m.Forecaster, StringComparer.Ordinal).Select(m => m.Forecaster)];
}

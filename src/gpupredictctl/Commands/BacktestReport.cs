using Gpupredict.Training.Evaluation;

namespace Gpupredict.Ctl.Commands;

/// <summary>The backtest of every model on one data source, as printed and as written to JSON.</summary>
/// <param name="Source">The data source's name.</param>
/// <param name="StepSeconds">Length of one step in that source.</param>
/// <param name="Series">Series evaluated.</param>
/// <param name="Note">What the data is.</param>
/// <param name="TrainFraction">Share of each series used for training.</param>
/// <param name="OriginEvery">Forecasts were made every this many steps.</param>
/// <param name="Models">One result per forecaster, in the order asked for.</param>
internal sealed record BacktestReport(string Source, double StepSeconds, int Series, string Note, double TrainFraction, int OriginEvery, IReadOnlyList<BacktestResult> Models)
{
    /// <summary>Forecaster names, best (lowest mean scaled pinball) first; models without one last, by name.</summary>
    public IReadOnlyList<string> Ranking =>
        [.. Models.OrderBy(m => m.MeanScaledPinball ?? double.PositiveInfinity).ThenBy(m => m.Forecaster, StringComparer.Ordinal).Select(m => m.Forecaster)];
}

using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Ctl.Commands;

/// <summary>
/// Which forecaster each planning policy acts on in a comparison: static-peak and hami ignore
/// forecasts (the cheap last-value keeps the pipeline honest); reactive gets the windowed summary
/// of the past; the oracle gets the true future; forecast (and any other) gets the user's forecaster.
/// </summary>
internal static class PolicyPairing
{
    public static PolicyEntry Entry(string policy, string forecaster, int horizon, IReadOnlyList<double> levels, IReadOnlyList<ReplayApp> apps, ForecastPlannerOptions? options = null, Func<IForecaster>? trained = null) => new(
        policy,
        () => Planners.Create(policy, options),
        policy switch
        {
            StaticPeakPlanner.PolicyName or HamiPlanner.PolicyName => () => new LastValueForecaster(horizon, levels),
            ReactivePlanner.PolicyName => () => new ReactiveWindowForecaster(horizon, levels),
            OraclePlanner.PolicyName => () => new OracleForecaster(apps, horizon, levels),
            _ => trained ?? (() => Forecasters.Create(forecaster, horizon, levels)),
        });

    /// <summary>Creates the forecaster <paramref name="policy"/> would run with, so that a bad name fails before any replay.</summary>
    public static IForecaster Probe(string policy, string forecaster, int horizon, IReadOnlyList<double> levels) =>
        Entry(policy, forecaster, horizon, levels, []).CreateForecaster();
}

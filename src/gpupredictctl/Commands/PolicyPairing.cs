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
/// Each forecaster is built on the quantile grid its planner declares (<see cref="QuantileGrid.For"/>);
/// a trained model keeps its own levels, which must carry the planner's.
/// </summary>
internal static class PolicyPairing
{
    public static PolicyEntry Entry(string policy, string forecaster, int horizon, IReadOnlyList<ReplayApp> apps, ForecastPlannerOptions? options = null, Func<IForecaster>? trained = null, string? model = null)
    {
        IReadOnlyList<double> levels = QuantileGrid.For(Planners.Create(policy, options).Quantiles).LevelList;
        return new(
            policy,
            () => Planners.Create(policy, options),
            policy switch
            {
                StaticPeakPlanner.PolicyName or HamiPlanner.PolicyName => () => new LastValueForecaster(horizon, levels),
                ReactivePlanner.PolicyName => () => new ReactiveWindowForecaster(horizon, levels),
                OraclePlanner.PolicyName => () => new OracleForecaster(apps, horizon, levels),
                _ when trained is not null => Checked(trained, Planners.Create(policy, options), model ?? "the model"),
                _ => () => Forecasters.Create(forecaster, horizon, levels),
            });
    }

    /// <summary>Creates the forecaster <paramref name="policy"/> would run with, so that a bad name fails before any replay.</summary>
    public static IForecaster Probe(string policy, string forecaster, int horizon) =>
        Entry(policy, forecaster, horizon, []).CreateForecaster();

    /// <summary>The trained model, once checked to carry every level the planner reads.</summary>
    private static Func<IForecaster> Checked(Func<IForecaster> trained, Core.Planning.IPlanner planner, string model)
    {
        try
        {
            _ = QuantileGrid.Of(trained().Levels, planner.Quantiles, model);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"option --model: {e.Message} (train it with the levels this replay grants, e.g. the same --upper-quantile)");
        }

        return trained;
    }
}

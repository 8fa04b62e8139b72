using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Ensemble;
using Gpupredict.Forecasting.Gbm;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting;

/// <summary>
/// The forecasting policies this build ships, each once: name, constructor, loader. The catalog
/// (<see cref="ForecasterCatalog"/>) and the host's registrations
/// (<see cref="ForecastingServiceCollectionExtensions.AddForecasters"/>) both read this list; there
/// is no other list of forecaster names. Any of them can be wrapped in calibrated intervals by name
/// (<see cref="Conformal.ConformalQuantileForecaster.Prefix"/>).
/// </summary>
public static class BuiltInForecasters
{
    /// <summary>The registrations, in the order names are listed.</summary>
    public static IReadOnlyList<ForecasterRegistration> All { get; } =
    [
        new(EwmaQuantileForecaster.PolicyName, s => new EwmaQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => EwmaQuantileForecaster.Load(r, v)),
        new(LastValueForecaster.PolicyName, s => new LastValueForecaster(s.Horizon, s.Levels), (r, _, v) => LastValueForecaster.Load(r, v)),
        new(VpaForecaster.PolicyName, s => new VpaForecaster(s.Horizon, s.Levels), (r, _, v) => VpaForecaster.Load(r, v)),
        new(AutopilotForecaster.PeakPolicyName, s => new AutopilotForecaster(AutopilotRecommender.Peak, s.Horizon, s.Levels), (r, _, v) => AutopilotForecaster.Load(r, AutopilotRecommender.Peak, v)),
        new(AutopilotForecaster.PercentilePolicyName, s => new AutopilotForecaster(AutopilotRecommender.Percentile, s.Horizon, s.Levels), (r, _, v) => AutopilotForecaster.Load(r, AutopilotRecommender.Percentile, v)),
        new(LstmQuantileForecaster.PolicyName, s => new LstmQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => LstmQuantileForecaster.Load(r, v)),
        new(GruQuantileForecaster.PolicyName, s => new GruQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => GruQuantileForecaster.Load(r, v)),
        new(RnnQuantileForecaster.PolicyName, s => new RnnQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => RnnQuantileForecaster.Load(r, v)),
        new(GbmQuantileForecaster.PolicyName, s => new GbmQuantileForecaster(s.Horizon, s.Levels), GbmQuantileForecaster.Load),
        new(GbmQuantileForecaster.EventsPolicyName, s => new GbmQuantileForecaster(s.Horizon, s.Levels, new GbmOptions { UseActivity = true }), GbmQuantileForecaster.Load),
        new(EnsembleForecaster.PolicyName, s => EnsembleForecaster.Create(Forecasters.Catalog, s), (r, p, v) => EnsembleForecaster.Load(r, p, v, Forecasters.Load)),
        new(TransformerQuantileForecaster.PolicyName, s => new TransformerQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => TransformerQuantileForecaster.Load(r, v)),
        new(MlpQuantileForecaster.PolicyName, s => new MlpQuantileForecaster(s.Horizon, s.Levels), (r, _, v) => MlpQuantileForecaster.Load(r, v)),
        new(ReactiveWindowForecaster.PolicyName, s => new ReactiveWindowForecaster(s.Horizon, s.Levels), (r, _, v) => ReactiveWindowForecaster.Load(r, v), ComparisonOnly: true),
        new(OracleForecaster.PolicyName, OracleForecaster.For, null, "an oracle reads a replay's recorded future, which is not saved with it", ComparisonOnly: true),
    ];

    /// <summary>Combinations listed among the names for discovery (any registered name takes the prefix).</summary>
    internal static IReadOnlyList<string> ListedConformal { get; } = [EwmaQuantileForecaster.PolicyName, LstmQuantileForecaster.PolicyName, EnsembleForecaster.PolicyName];
}

using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Conformal;
using Gpupredict.Forecasting.Gbm;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting;

/// <summary>
/// Looks forecasting policies up by name. Any policy can be wrapped in calibrated intervals by
/// prefixing its name with <see cref="ConformalQuantileForecaster.Prefix"/> ("conformal-ewma").
/// </summary>
public static class Forecasters
{
    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        EwmaQuantileForecaster.PolicyName,
        LastValueForecaster.PolicyName,
        VpaForecaster.PolicyName,
        AutopilotForecaster.PeakPolicyName,
        AutopilotForecaster.PercentilePolicyName,
        LstmQuantileForecaster.PolicyName,
        GruQuantileForecaster.PolicyName,
        RnnQuantileForecaster.PolicyName,
        GbmQuantileForecaster.PolicyName,
        GbmQuantileForecaster.EventsPolicyName,
        TransformerQuantileForecaster.PolicyName,
        ConformalQuantileForecaster.Prefix + EwmaQuantileForecaster.PolicyName,
        ConformalQuantileForecaster.Prefix + LstmQuantileForecaster.PolicyName,
    ];

    /// <summary>Creates the forecaster called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public static IForecaster Create(string name, int horizon, IReadOnlyList<double> levels) => name switch
    {
        EwmaQuantileForecaster.PolicyName => new EwmaQuantileForecaster(horizon, levels),
        LastValueForecaster.PolicyName => new LastValueForecaster(horizon, levels),
        VpaForecaster.PolicyName => new VpaForecaster(horizon, levels),
        AutopilotForecaster.PeakPolicyName => new AutopilotForecaster(AutopilotRecommender.Peak, horizon, levels),
        AutopilotForecaster.PercentilePolicyName => new AutopilotForecaster(AutopilotRecommender.Percentile, horizon, levels),
        LstmQuantileForecaster.PolicyName => new LstmQuantileForecaster(horizon, levels),
        GruQuantileForecaster.PolicyName => new GruQuantileForecaster(horizon, levels),
        RnnQuantileForecaster.PolicyName => new RnnQuantileForecaster(horizon, levels),
        GbmQuantileForecaster.PolicyName => new GbmQuantileForecaster(horizon, levels),
        GbmQuantileForecaster.EventsPolicyName => new GbmQuantileForecaster(horizon, levels, new GbmOptions { UseActivity = true }),
        TransformerQuantileForecaster.PolicyName => new TransformerQuantileForecaster(horizon, levels),
        _ when name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal) =>
            new ConformalQuantileForecaster(Create(name[ConformalQuantileForecaster.Prefix.Length..], horizon, levels)),
        _ => throw new ArgumentException($"unknown forecaster '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>Reads a forecaster saved with <see cref="IForecaster.Save"/>.</summary>
    /// <exception cref="ForecasterFormatException">Not a saved forecaster, an unknown policy or version, or truncated.</exception>
    public static IForecaster Load(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        (string policy, ushort version) = ForecasterFile.ReadHeader(reader);
        try
        {
            return policy switch
            {
                EwmaQuantileForecaster.PolicyName => EwmaQuantileForecaster.Load(reader, version),
                LastValueForecaster.PolicyName => LastValueForecaster.Load(reader, version),
                VpaForecaster.PolicyName => VpaForecaster.Load(reader, version),
                AutopilotForecaster.PeakPolicyName => AutopilotForecaster.Load(reader, AutopilotRecommender.Peak, version),
                AutopilotForecaster.PercentilePolicyName => AutopilotForecaster.Load(reader, AutopilotRecommender.Percentile, version),
                LstmQuantileForecaster.PolicyName => LstmQuantileForecaster.Load(reader, version),
                GruQuantileForecaster.PolicyName => GruQuantileForecaster.Load(reader, version),
                RnnQuantileForecaster.PolicyName => RnnQuantileForecaster.Load(reader, version),
                GbmQuantileForecaster.PolicyName or GbmQuantileForecaster.EventsPolicyName => GbmQuantileForecaster.Load(reader, policy, version),
                TransformerQuantileForecaster.PolicyName => TransformerQuantileForecaster.Load(reader, version),
                _ when policy.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal) =>
                    ConformalQuantileForecaster.Load(reader, policy, version, Load),
                _ => throw new ForecasterFormatException($"saved forecaster names policy '{policy}'; known: {string.Join(", ", Names)}"),
            };
        }
        catch (EndOfStreamException)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster is truncated");
        }
        catch (ArgumentException e)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster holds invalid parameters: {e.Message}");
        }
    }
}

using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting;

/// <summary>Looks forecasting policies up by name.</summary>
public static class Forecasters
{
    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names { get; } = [EwmaQuantileForecaster.PolicyName];

    /// <summary>Creates the forecaster called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public static IForecaster Create(string name, int horizon, IReadOnlyList<double> levels) => name switch
    {
        EwmaQuantileForecaster.PolicyName => new EwmaQuantileForecaster(horizon, levels),
        _ => throw new ArgumentException($"unknown forecaster '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}

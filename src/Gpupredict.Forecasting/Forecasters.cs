using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting;

/// <summary>
/// The built-in forecasting policies (<see cref="BuiltInForecasters"/>) by name, for code that runs
/// without a host: tests, training. A host registers the same list with
/// <see cref="ForecastingServiceCollectionExtensions.AddForecasters"/> and resolves <see cref="IForecasterCatalog"/>.
/// </summary>
public static class Forecasters
{
    /// <summary>The built-in catalog.</summary>
    public static ForecasterCatalog Catalog { get; } = new(BuiltInForecasters.All);

    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names => Catalog.Names;

    /// <summary>Creates the forecaster called <paramref name="name"/> for <paramref name="horizon"/> steps at <paramref name="levels"/>.</summary>
    /// <exception cref="ArgumentException">No policy has that name (the message lists the known ones), or it needs what the arguments do not give (the oracle needs a replay's recorded demand).</exception>
    public static IForecaster Create(string name, int horizon, IReadOnlyList<double> levels) => Catalog.Create(name, new ForecasterSpec(horizon, levels));

    /// <summary>Reads a forecaster saved with <see cref="IForecaster.Save"/>.</summary>
    /// <exception cref="Persistence.ForecasterFormatException">Not a saved forecaster, damaged (checksum), truncated, an unknown or unloadable policy or version, or a payload its policy refuses.</exception>
    public static IForecaster Load(Stream source) => Catalog.Load(source);
}

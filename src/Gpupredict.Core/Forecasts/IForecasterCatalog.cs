namespace Gpupredict.Core.Forecasts;

/// <summary>The forecasting policies a host registered, looked up by name (YARP's policy lookup, for forecasters).</summary>
public interface IForecasterCatalog
{
    /// <summary>The names it knows, in registration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>A fresh forecaster called <paramref name="name"/>, built for <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">No forecaster has that name (the message lists the known ones), or the spec does not suit it.</exception>
    IForecaster Create(string name, ForecasterSpec spec);
}

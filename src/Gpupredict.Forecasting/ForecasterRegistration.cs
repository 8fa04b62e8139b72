using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting;

/// <summary>Reads a saved forecaster's payload; <paramref name="policy"/> and <paramref name="payloadVersion"/> are from its envelope.</summary>
/// <param name="reader">Positioned at the payload.</param>
/// <param name="policy">The policy name the file names.</param>
/// <param name="payloadVersion">The payload version the file names.</param>
public delegate IForecaster ForecasterLoader(BinaryReader reader, string policy, ushort payloadVersion);

/// <summary>
/// A forecasting policy as a host registers it (<see cref="ForecastingServiceCollectionExtensions.AddForecaster"/>):
/// its name, how to build one for a spec, and how to read a saved one (null when a saved one cannot
/// be used, with <paramref name="NotLoadable"/> saying why).
/// </summary>
/// <param name="Name">The name configuration and reports use.</param>
/// <param name="Create">Builds a fresh forecaster.</param>
/// <param name="Load">Reads a saved one, or null.</param>
/// <param name="NotLoadable">Why a saved one cannot be loaded, when <paramref name="Load"/> is null.</param>
/// <param name="ComparisonOnly">A comparison policy's own forecaster (reactive sizing, the oracle), not one to forecast with: named, but not among the forecasters a backtest runs by default.</param>
public sealed record ForecasterRegistration(string Name, Func<ForecasterSpec, IForecaster> Create, ForecasterLoader? Load, string? NotLoadable = null, bool ComparisonOnly = false);

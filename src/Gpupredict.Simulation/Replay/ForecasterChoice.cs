using Gpupredict.Core.Forecasts;

namespace Gpupredict.Simulation.Replay;

/// <summary>The forecaster the user chose for the policies that take one: a registered name, or a trained model.</summary>
/// <param name="Name">The forecaster's name (a model's own name when <paramref name="Trained"/> is given).</param>
/// <param name="Trained">Fresh copies of a trained model, or null to build <paramref name="Name"/> from the catalog.</param>
/// <param name="Source">Where the model came from (its file), for messages.</param>
public sealed record ForecasterChoice(string Name, Func<IForecaster>? Trained = null, string? Source = null);

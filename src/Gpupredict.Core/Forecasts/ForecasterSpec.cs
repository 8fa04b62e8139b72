using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>What a forecaster is built for: how far ahead, at which levels, and, in a replay, the recorded demand (which only the oracle may read).</summary>
/// <param name="Horizon">Steps forecast ahead, ≥ 1.</param>
/// <param name="Levels">Quantile levels, increasing inside (0, 1); a pipeline's <see cref="QuantileGrid.Levels"/>.</param>
/// <param name="Recorded">The replay's recorded demand by application, or null outside a replay.</param>
public sealed record ForecasterSpec(int Horizon, IReadOnlyList<double> Levels, IReadOnlyDictionary<AppId, RecordedDemand>? Recorded = null);

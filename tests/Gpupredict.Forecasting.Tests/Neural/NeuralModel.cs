using Gpupredict.Core.Apps;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// A neural forecaster as <see cref="NeuralForecasterContractTests"/> uses it. The models share these
/// members by name but no interface beyond <see cref="IForecaster"/>, so each test class binds its own.
/// </summary>
/// <param name="Forecaster">The forecaster itself.</param>
/// <param name="Parameters">Its current weights.</param>
/// <param name="Options">Its options record (compared by value).</param>
/// <param name="Slot">Its <c>Slot</c>.</param>
/// <param name="StepBatch">Its <c>StepBatch</c>.</param>
/// <param name="OutputsPerApp">Its <c>OutputsPerApp</c>.</param>
/// <param name="HeldOutLoss">Mean pinball loss (normalised space) of its forecasts on an unseen periodic series.</param>
internal sealed record NeuralModel(
    IForecaster Forecaster,
    Func<float[]> Parameters,
    object Options,
    Func<AppId, int> Slot,
    Action<ReadOnlySpan<int>, ReadOnlySpan<float>, Span<float>> StepBatch,
    int OutputsPerApp,
    Func<double> HeldOutLoss);

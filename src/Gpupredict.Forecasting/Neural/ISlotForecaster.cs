using Gpupredict.Core.Apps;

namespace Gpupredict.Forecasting.Neural;

/// <summary>A neural forecaster that advances many applications' slots in one pass (<see cref="StepBatch"/>).</summary>
internal interface ISlotForecaster
{
    /// <summary>Floats <see cref="StepBatch"/> writes per application.</summary>
    int OutputsPerApp { get; }

    /// <summary>The slot of <paramref name="app"/>, taken on first use.</summary>
    int Slot(AppId app);

    /// <summary>See the forecasters' <c>StepBatch</c>.</summary>
    void StepBatch(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> quantilesOut);
}

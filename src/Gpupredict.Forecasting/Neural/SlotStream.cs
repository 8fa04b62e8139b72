using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The streaming side every recurrent forecaster shares: per-application slots, one cell step per
/// <see cref="Observe"/>, the head on the current state for <see cref="Predict"/>, and
/// <see cref="StepBatch"/> for many applications at once without allocating. The network itself is
/// the <see cref="ISlotInference"/>.
/// </summary>
internal sealed class SlotStream(LstmSlots slots, ISlotInference inference, int horizon, double[] levels, int outputs)
{
    private readonly float[] _one = new float[outputs];

    /// <summary>The slot table.</summary>
    public LstmSlots Slots => slots;

    /// <summary>See <c>StepBatch</c> on the forecasters.</summary>
    public void StepBatch(ReadOnlySpan<float> p, ReadOnlySpan<int> batch, ReadOnlySpan<float> inputs, Span<float> quantilesOut)
    {
        slots.RequireBatch(batch, inputs.Length, quantilesOut.Length, outputs);
        foreach (int slot in batch)
        {
            slots.LastStep[slot]++;
        }

        inference.Advance(p, slots, batch, inputs);
        inference.Quantiles(p, slots, batch, quantilesOut);
    }

    /// <summary>One cell step of <paramref name="app"/>'s state on <paramref name="demand"/>.</summary>
    public void Observe(ReadOnlySpan<float> p, AppId app, long step, ResourceVector demand)
    {
        int slot = slots.Acquire(app);
        ReadOnlySpan<int> one = [slot];
        Span<float> input = [(float)demand.SmFraction, (float)demand.BandwidthBytesPerSecond, (float)demand.VramBytes];
        slots.LastStep[slot] = step;
        inference.Advance(p, slots, one, input);
    }

    /// <summary>The head on <paramref name="app"/>'s current state.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    public Forecast Predict(ReadOnlySpan<float> p, AppId app)
    {
        if (!slots.TryGet(app, out int slot) || !slots.Stepped[slot])
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        inference.Quantiles(p, slots, [slot], _one);
        double[] values = new double[_one.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _one[i];
        }

        return new Forecast(app, slots.LastStep[slot], horizon, levels, values);
    }
}

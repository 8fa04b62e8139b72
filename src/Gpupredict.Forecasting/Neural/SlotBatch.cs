using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Runs a tick's <see cref="ForecastBatch"/> through a neural forecaster's <c>StepBatch</c>: one
/// blocked pass for every application instead of one <c>Observe</c> and <c>Predict</c> each, in
/// buffers kept from tick to tick (nothing allocated once warm, but a slot for a new application).
/// Same values as Observe then Predict: the network sees float inputs and emits float quantiles either way.
/// </summary>
internal sealed class SlotBatch
{
    private int[] _slots = new int[16];
    private float[] _inputs = new float[16 * Resources.Count];
    private float[] _outputs = [];

    /// <summary>Steps every slot of <paramref name="batch"/> through <paramref name="forecaster"/> and writes the forecasts back.</summary>
    public void Step(ISlotForecaster forecaster, ForecastBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int n = batch.Count, width = forecaster.OutputsPerApp;
        if (_slots.Length < n)
        {
            int grown = Math.Max(n, _slots.Length * 2);
            _slots = new int[grown];
            _inputs = new float[grown * Resources.Count];
        }

        if (_outputs.Length < n * width)
        {
            _outputs = new float[Math.Max(n * width, _outputs.Length * 2)];
        }

        for (int i = 0; i < n; i++)
        {
            ResourceVector d = batch.Demand(i);
            _slots[i] = forecaster.Slot(batch.App(i));
            (_inputs[3 * i], _inputs[(3 * i) + 1], _inputs[(3 * i) + 2]) = ((float)d.SmFraction, (float)d.BandwidthBytesPerSecond, (float)d.VramBytes);
        }

        forecaster.StepBatch(_slots.AsSpan(0, n), _inputs.AsSpan(0, n * Resources.Count), _outputs.AsSpan(0, n * width));
        for (int i = 0; i < n; i++)
        {
            Span<double> output = batch.Output(i);
            ReadOnlySpan<float> values = _outputs.AsSpan(i * width, width);
            for (int k = 0; k < width; k++)
            {
                output[k] = values[k];
            }
        }
    }
}

using System.Numerics.Tensors;
using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The quantile head every sequence network shares: raw outputs <c>bo + Σₖ hₖ·Vtₖ</c> (Vt at
/// <c>headOffset</c>, H × O; bo at <c>headBiasOffset</c>; output o = (r·Horizon + h)·Levels + q),
/// made non-crossing by <see cref="QuantileHead"/>, read in units of each resource's spread around
/// its base (the newest scaled value): quantile = base + spread × value, so a zero median output is
/// persistence. Scores them with the pinball loss on the application's scale in training and maps
/// them to raw units for output. Buffers are reused across calls.
/// </summary>
internal sealed class RecurrentHead
{
    /// <summary>
    /// softplus⁻¹(0.5): the untrained head's step between neighbouring levels is half the spread, a
    /// narrow interval around the newest value.
    /// </summary>
    private static readonly float NarrowStep = MathF.Log(MathF.Exp(0.5f) - 1f);

    private readonly int _horizon, _median, _headOffset, _headBiasOffset, _outputs;
    private readonly double[] _levels;
    private readonly float[] _raw, _values, _gradValues, _gradRaw, _scratch;

    public RecurrentHead(int horizon, double[] levels, int median, int headOffset, int headBiasOffset)
    {
        _horizon = horizon;
        _levels = levels;
        _median = median;
        _headOffset = headOffset;
        _headBiasOffset = headBiasOffset;
        _outputs = horizon * levels.Length * Resources.Count;
        _raw = new float[_outputs];
        _values = new float[_outputs];
        _gradValues = new float[_outputs];
        _gradRaw = new float[_outputs];
        _scratch = new float[_outputs];
    }

    /// <summary>The head of <paramref name="l"/>.</summary>
    public RecurrentHead(RecurrentLayout l)
        : this(l.Horizon, l.Levels, l.Median, l.HeadOffset, l.HeadBiasOffset)
    {
    }

    /// <summary>
    /// Zero head weights, zero median biases and narrow steps to the other levels: the untrained
    /// head forecasts the newest value whatever the state.
    /// </summary>
    public static void Initialise(Span<float> p, int headOffset, int headBiasOffset, int outputs, int levels, int median)
    {
        p[headOffset..headBiasOffset].Clear();
        Span<float> bias = p.Slice(headBiasOffset, outputs);
        for (int o = 0; o < outputs; o++)
        {
            bias[o] = o % levels == median ? 0f : NarrowStep;
        }
    }

    /// <summary>
    /// Pinball loss (summed) of the quantiles from <paramref name="h"/> at step <paramref name="a"/>
    /// of <paramref name="series"/> against the next Horizon steps, on step a's scale; unless
    /// <paramref name="grad"/> is empty, adds <paramref name="gradScale"/> × its gradient to the head's
    /// parameters and writes d loss / d h into <paramref name="dh"/>.
    /// </summary>
    public double Train(ReadOnlySpan<float> p, Span<float> grad, ScaledSeries series, int a, ReadOnlySpan<float> h, Span<float> dh, float gradScale)
    {
        int outputs = _outputs;
        p.Slice(_headBiasOffset, outputs).CopyTo(_raw);
        for (int k = 0; k < h.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(p.Slice(_headOffset + (k * outputs), outputs), h[k], _raw, _raw);
        }

        QuantileHead.Forward(_raw, _values, _scratch, _levels.Length, _median);
        ReadOnlySpan<float> scaling = series.Scaling.AsSpan(a * StepFeatures.ScalingCount, StepFeatures.ScalingCount);
        double loss = 0;
        for (int r = 0; r < 3; r++)
        {
            float b = scaling[r], spread = scaling[3 + r];
            for (int k = 0; k < _horizon; k++)
            {
                float y = series.Target(a, k, r);
                for (int q = 0; q < _levels.Length; q++)
                {
                    int o = Output(r, k, q);
                    float tau = (float)_levels[q];
                    float d = y - (b + (spread * _values[o]));
                    loss += d >= 0 ? tau * d : (tau - 1) * d;
                    _gradValues[o] = (d > 0 ? -tau : 1 - tau) * spread * gradScale;
                }
            }
        }

        if (grad.IsEmpty)
        {
            return loss;
        }

        QuantileHead.Backward(_raw, _gradValues, _gradRaw, _scratch, _levels.Length, _median);
        Span<float> headBias = grad.Slice(_headBiasOffset, outputs);
        TensorPrimitives.Add(headBias, _gradRaw, headBias);
        for (int k = 0; k < h.Length; k++)
        {
            Span<float> row = grad.Slice(_headOffset + (k * outputs), outputs);
            TensorPrimitives.MultiplyAdd(_gradRaw, h[k], row, row);
            dh[k] = TensorPrimitives.Dot(p.Slice(_headOffset + (k * outputs), outputs), _gradRaw);
        }

        return loss;
    }

    /// <summary>Monotone quantiles of raw head outputs around the slot's <paramref name="scaling"/>, in raw units, scattered to [horizon][level][resource].</summary>
    public void Emit(ReadOnlySpan<float> raw, ReadOnlySpan<float> scaling, Span<float> output)
    {
        QuantileHead.Forward(raw, _values, _scratch, _levels.Length, _median);
        Scatter(_values, _horizon, _levels.Length, scaling, _scratch, output);
    }

    /// <summary>
    /// From one slot's non-crossing head values (resource-major, in spreads) and its scaling (base,
    /// spread, scale per resource) to raw-unit quantiles laid out [horizon][level][resource]:
    /// (base + spread × value) × scale held to [0, the headroom ceiling] (and to 1 for the SM
    /// fraction), the mapping of <see cref="MlpScaling.Inverse"/> without log bytes, in one pass
    /// per resource; monotone, so the quantiles stay ordered. <paramref name="scratch"/> holds Horizon × Levels floats.
    /// </summary>
    public static void Scatter(ReadOnlySpan<float> values, int horizon, int levels, ReadOnlySpan<float> scaling, Span<float> scratch, Span<float> output)
    {
        int perResource = horizon * levels;
        Span<float> u = scratch[..perResource];
        for (int r = 0; r < 3; r++)
        {
            float scale = scaling[6 + r];
            float ceiling = MlpScaling.Ceiling(r, scale, logBytes: false);
            TensorPrimitives.Multiply(values.Slice(r * perResource, perResource), scaling[3 + r], u);
            float b = scaling[r], top = r == (int)Resource.Sm ? MathF.Min(ceiling, 1f) : ceiling;
            for (int i = 0; i < perResource; i++)
            {
                output[(3 * i) + r] = Math.Clamp((u[i] + b) * scale, 0f, top);
            }
        }
    }

    private int Output(int r, int h, int q) => (((r * _horizon) + h) * _levels.Length) + q;
}

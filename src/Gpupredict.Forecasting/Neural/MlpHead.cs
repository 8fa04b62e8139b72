namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// <see cref="MlpQuantileForecaster"/>'s quantiles per row, in units of the row's spread: per horizon
/// step, the median level is the row's base plus spread × its raw output, and the other levels are
/// spread × cumulative softplus steps away from it (<see cref="QuantileHead"/>), so they never cross.
/// A zero raw median is the base itself.
/// Scores them with the pinball loss in the scaled space for training.
/// </summary>
internal sealed class MlpHead
{
    private readonly MlpLayout _l;
    private readonly float[] _levels;
    private float[] _values = [], _scratch = [], _gradValues = [], _spreads = [];

    public MlpHead(MlpLayout layout, int rows)
    {
        _l = layout;
        _levels = [.. layout.Levels.Select(v => (float)v)];
        EnsureCapacity(rows);
    }

    /// <summary>Quantiles of the last <see cref="Forward"/>, rows × Horizon × Levels, scaled.</summary>
    public Span<float> Values => _values;

    /// <summary>Grows the buffers to hold <paramref name="rows"/> rows (allocates only when they are smaller).</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows * _l.Outputs <= _values.Length)
        {
            return;
        }

        int n = Math.Max(rows * _l.Outputs, _values.Length * 2);
        _values = new float[n];
        _scratch = new float[n];
        _gradValues = new float[n];
        _spreads = new float[n / _l.Outputs];
    }

    /// <summary>Quantiles of <paramref name="rows"/> rows from raw outputs, bases and spreads (base + spread × head), into <see cref="Values"/>.</summary>
    public void Forward(ReadOnlySpan<float> raw, ReadOnlySpan<float> bases, ReadOnlySpan<float> spreads, int rows)
    {
        int o = _l.Outputs;
        QuantileHead.Forward(raw[..(rows * o)], _values.AsSpan(0, rows * o), _scratch.AsSpan(0, rows * o), _levels.Length, _l.Median);
        for (int s = 0; s < rows; s++)
        {
            Span<float> v = _values.AsSpan(s * o, o);
            float b = bases[s], spread = spreads[s];
            _spreads[s] = spread;
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = b + (spread * v[i]);
            }
        }
    }

    /// <summary>
    /// Summed pinball loss of the last <see cref="Forward"/> against <paramref name="targets"/>
    /// (rows × Horizon); when <paramref name="dRaw"/> is not empty, writes <paramref name="scale"/> ×
    /// d loss / d raw into it.
    /// </summary>
    public double Loss(ReadOnlySpan<float> raw, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int rows, Span<float> dRaw, float scale)
    {
        int o = _l.Outputs, levels = _levels.Length;
        double loss = 0;
        for (int s = 0; s < rows; s++)
        {
            float weight = weights[s];
            for (int h = 0; h < _l.Horizon; h++)
            {
                float y = targets[(s * _l.Horizon) + h];
                int at = (s * o) + (h * levels);
                for (int q = 0; q < levels; q++)
                {
                    float tau = _levels[q], d = y - _values[at + q];
                    loss += weight * (d >= 0 ? tau * d : (tau - 1) * d);
                    _gradValues[at + q] = (d > 0 ? -tau : 1 - tau) * scale * weight * _spreads[s];
                }
            }
        }

        if (!dRaw.IsEmpty)
        {
            QuantileHead.Backward(raw[..(rows * o)], _gradValues.AsSpan(0, rows * o), dRaw[..(rows * o)], _scratch.AsSpan(0, rows * o), levels, _l.Median);
        }

        return loss;
    }
}

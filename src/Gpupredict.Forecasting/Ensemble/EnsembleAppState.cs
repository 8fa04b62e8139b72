using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Ensemble;

/// <summary>
/// One application's state in the ensemble, sized once when it first appears: each member's newest
/// forecast, a ring of each member's past forecasts (until the last step they forecast has been
/// observed), each member's recent pinball loss per cell (resource × horizon step) and the points
/// scored per horizon step. Scoring, remembering and combining allocate nothing.
/// </summary>
internal sealed class EnsembleAppState
{
    private readonly int _members;
    private readonly int _horizon;
    private readonly int _levels;
    private readonly int _values;

    // By the step forecast: [step mod horizon][h][member][level][resource], so that the forecasts of
    // the step just observed are one contiguous block (scoring is memory-bound). Single precision is
    // plenty to score with and halves the ring, the largest part of the state (horizon² × levels ×
    // resources × members values).
    private readonly float[] _ring;

    // The origin each [step mod horizon][h] block was forecast from, long.MinValue when never written:
    // a block is the forecast of step s only when its origin is s − 1 − h (steps may skip).
    private readonly long[] _origins;
    private readonly double[] _latest;
    private readonly double[] _loss;
    private readonly double[] _squaredGap;
    private readonly int[] _points;

    /// <summary>State for <paramref name="members"/> members forecasting <paramref name="horizon"/> steps at <paramref name="levels"/> levels.</summary>
    public EnsembleAppState(int members, int horizon, int levels)
    {
        _members = members;
        _horizon = horizon;
        _levels = levels;
        _values = horizon * levels * Resources.Count;
        _ring = new float[horizon * members * _values];
        _origins = new long[horizon * horizon];
        Array.Fill(_origins, long.MinValue);
        _latest = new double[members * _values];
        _loss = new double[members * Cells];
        _squaredGap = new double[members * Cells];
        _points = new int[horizon];
    }

    /// <summary>The step the newest forecasts were made after.</summary>
    public long LastStep { get; private set; } = long.MinValue;

    private int Cells => _horizon * Resources.Count;

    /// <summary>Where member <paramref name="member"/>'s newest forecast goes, [horizon][level][resource].</summary>
    public Span<double> Latest(int member) => _latest.AsSpan(member * _values, _values);

    /// <summary>Scores every remembered forecast that forecast <paramref name="step"/> against <paramref name="actual"/>.</summary>
    /// <param name="step">The step just observed.</param>
    /// <param name="actual">What the application used in it.</param>
    /// <param name="levels">The quantile levels.</param>
    /// <param name="rate">The newest point's weight once a cell has more than 1 / rate points.</param>
    public void Score(long step, ResourceVector actual, ReadOnlySpan<double> levels, double rate)
    {
        int slot = Slot(step);
        int block = _members * _levels * Resources.Count;
        for (int h = 0; h < _horizon; h++)
        {
            if (_origins[(slot * _horizon) + h] != step - 1 - h)
            {
                continue;
            }

            int n = ++_points[h];

            // A running mean until 1 / rate points, exponentially weighted after: no start-up bias.
            double beta = Math.Max(rate, 1.0 / n);
            ReadOnlySpan<float> forecasts = _ring.AsSpan(((slot * _horizon) + h) * block, block);
            for (int r = 0; r < Resources.Count; r++)
            {
                double y = actual[(Resource)r];
                double anchor = 0;
                for (int m = 0; m < _members; m++)
                {
                    ReadOnlySpan<float> forecast = forecasts.Slice(m * _levels * Resources.Count, _levels * Resources.Count);
                    double sum = 0;
                    for (int q = 0; q < _levels; q++)
                    {
                        sum += Pinball(y, forecast[(q * Resources.Count) + r], levels[q]);
                    }

                    double point = sum / _levels;
                    anchor = m == 0 ? point : anchor;
                    int i = (m * Cells) + (h * Resources.Count) + r;
                    _loss[i] += beta * (point - _loss[i]);
                    _squaredGap[i] += beta * (((point - anchor) * (point - anchor)) - _squaredGap[i]);
                }
            }
        }
    }

    /// <summary>Keeps the newest forecasts (<see cref="Latest"/>), made after <paramref name="step"/>, for scoring.</summary>
    public void Remember(long step)
    {
        LastStep = step;
        int perStep = _levels * Resources.Count;
        int block = _members * perStep;
        for (int h = 0; h < _horizon; h++)
        {
            int slot = Slot(step + 1 + h);
            Span<float> destination = _ring.AsSpan(((slot * _horizon) + h) * block, block);
            for (int m = 0; m < _members; m++)
            {
                ReadOnlySpan<double> source = _latest.AsSpan((m * _values) + (h * perStep), perStep);
                Span<float> target = destination.Slice(m * perStep, perStep);
                for (int i = 0; i < perStep; i++)
                {
                    target[i] = (float)source[i];
                }
            }

            _origins[(slot * _horizon) + h] = step;
        }
    }

    /// <summary>
    /// Writes the combined forecast: per cell, the members' quantiles at each level averaged with the
    /// cell's weights (<see cref="EnsembleWeights"/>). The same weights at every level of a cell keep
    /// non-crossing members non-crossing; a member of weight 0 is skipped, so with all the weight on
    /// the anchor the forecast is the anchor's, bit for bit.
    /// </summary>
    public void Combine(Span<double> destination, EnsembleOptions options, double maxEffectivePoints)
    {
        Span<double> weights = stackalloc double[_members];
        Span<double> scratch = stackalloc double[2 * _members];
        for (int h = 0; h < _horizon; h++)
        {
            for (int r = 0; r < Resources.Count; r++)
            {
                Weigh(h, r, options, maxEffectivePoints, scratch, weights);
                for (int q = 0; q < _levels; q++)
                {
                    int i = (((h * _levels) + q) * Resources.Count) + r;
                    double v = 0;
                    for (int m = 0; m < _members; m++)
                    {
                        if (weights[m] != 0)
                        {
                            v += weights[m] * _latest[(m * _values) + i];
                        }
                    }

                    // Rounding may step a weighted mean of in-range values just outside the range.
                    destination[i] = r == (int)Resource.Sm ? Math.Clamp(v, 0, 1) : Math.Max(0, v);
                }
            }
        }
    }

    /// <summary>The members' weights in cell (<paramref name="h"/>, <paramref name="r"/>); <paramref name="scratch"/> holds two values per member.</summary>
    public void Weigh(int h, int r, EnsembleOptions options, double maxEffectivePoints, Span<double> scratch, Span<double> weights)
    {
        int cell = (h * Resources.Count) + r;
        Span<double> losses = scratch[.._members];
        Span<double> squaredGaps = scratch.Slice(_members, _members);
        for (int m = 0; m < _members; m++)
        {
            losses[m] = _loss[(m * Cells) + cell];
            squaredGaps[m] = _squaredGap[(m * Cells) + cell];
        }

        EnsembleWeights.Weigh(losses, squaredGaps, _points[h], options, maxEffectivePoints, weights);
    }

    private int Slot(long step) => (int)(((step % _horizon) + _horizon) % _horizon);

    private static double Pinball(double actual, double quantile, double level)
    {
        double diff = actual - quantile;
        return diff >= 0 ? level * diff : (level - 1) * diff;
    }
}

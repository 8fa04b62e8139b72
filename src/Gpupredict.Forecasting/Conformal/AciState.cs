namespace Gpupredict.Forecasting.Conformal;

/// <summary>
/// One application's online calibration state: per cell, the correction added to each side of the
/// interval, started at the split-conformal value and moved after every scored step by quantile
/// tracking, c += eta * (miss - alpha) (the P term of conformal PID control, Angelopoulos, Candès
/// and Tibshirani 2023; adaptive conformal inference in score space). The long-run miss rate then
/// equals alpha whatever the drift, and unlike ACI's level (Gibbs and Candès 2021) the correction is
/// not capped by the largest calibration score. Keeps the last horizon's intervals to score them
/// when their target steps arrive.
/// </summary>
internal sealed class AciState
{
    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly long[] _origin;
    private readonly int _cells;
    private int _next;

    public AciState(int cells, int horizon, ReadOnlySpan<double> initialCorrection)
    {
        _cells = cells;
        Correction = initialCorrection.ToArray();
        _lo = new double[horizon * cells];
        _hi = new double[horizon * cells];
        _origin = new long[horizon];
        Array.Fill(_origin, long.MinValue);
    }

    /// <summary>The current correction per cell, in the resource's units (negative narrows).</summary>
    public double[] Correction { get; }

    /// <summary>Remembers the intervals of a forecast made after <paramref name="origin"/>.</summary>
    public void Remember(long origin, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        lo.CopyTo(_lo.AsSpan(_next * _cells, _cells));
        hi.CopyTo(_hi.AsSpan(_next * _cells, _cells));
        _origin[_next] = origin;
        _next = (_next + 1) % _origin.Length;
    }

    /// <summary>
    /// Scores every remembered interval whose target is <paramref name="step"/> against
    /// <paramref name="actual"/>, cells laid out as <see cref="CalibrationScores.Index"/>.
    /// </summary>
    public void Update(long step, Core.Demand.ResourceVector actual, ReadOnlySpan<double> eta, ReadOnlySpan<double> nominalAlpha, int pairs)
    {
        int horizon = _origin.Length;
        for (int slot = 0; slot < horizon; slot++)
        {
            long h = step - _origin[slot] - 1;
            if (_origin[slot] == long.MinValue || h < 0 || h >= horizon)
            {
                continue;
            }

            for (int p = 0; p < pairs; p++)
            {
                foreach (Core.Demand.Resource r in Core.Demand.Resources.All)
                {
                    int cell = ((((p * Core.Demand.Resources.Count) + (int)r) * horizon) + (int)h);
                    double y = actual[r];
                    bool miss = y < _lo[(slot * _cells) + cell] || y > _hi[(slot * _cells) + cell];
                    Correction[cell] += eta[cell] * ((miss ? 1 : 0) - nominalAlpha[cell]);
                }
            }
        }
    }
}

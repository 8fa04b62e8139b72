namespace Gpupredict.Forecasting.Conformal;

/// <summary>
/// Split-conformal nonconformity scores per interval pair, resource and horizon step, collected on a
/// held-out calibration stretch: s = max(lo - y, y - hi) (negative inside the interval). Sorted once,
/// then any miscoverage level maps to a correction by the finite-sample quantile
/// ceil((n + 1)(1 - alpha)) / n of the scores (Romano et al., conformalized quantile regression).
/// </summary>
internal sealed class CalibrationScores
{
    private readonly List<double>[] _collecting;
    private double[][] _sorted = [];

    public CalibrationScores(int pairs, int horizon)
    {
        Pairs = pairs;
        Horizon = horizon;
        _collecting = new List<double>[pairs * Core.Demand.Resources.Count * horizon];
        for (int i = 0; i < _collecting.Length; i++)
        {
            _collecting[i] = [];
        }
    }

    public int Pairs { get; }

    public int Horizon { get; }

    public int Cells => _collecting.Length;

    public int Index(int pair, int resource, int h) => (((pair * Core.Demand.Resources.Count) + resource) * Horizon) + h;

    public void Add(int cell, double score) => _collecting[cell].Add(score);

    /// <summary>Freezes what was collected into sorted arrays.</summary>
    public void Seal()
    {
        _sorted = new double[_collecting.Length][];
        for (int i = 0; i < _collecting.Length; i++)
        {
            _sorted[i] = [.. _collecting[i].Order()];
        }
    }

    /// <summary>The sorted scores of a cell (empty before <see cref="Seal"/> or when none were collected).</summary>
    public ReadOnlySpan<double> Sorted(int cell) => _sorted.Length == 0 ? [] : _sorted[cell];

    /// <summary>Replaces a cell's sorted scores (loading).</summary>
    public void SetSorted(int cell, double[] sorted)
    {
        if (_sorted.Length == 0)
        {
            _sorted = new double[_collecting.Length][];
            Array.Fill(_sorted, []);
        }

        _sorted[cell] = sorted;
    }

    /// <summary>The spread of a cell's scores (their 10th to 90th percentile), a scale for online steps; at least 1e-12.</summary>
    public double Spread(int cell)
    {
        ReadOnlySpan<double> s = Sorted(cell);
        return s.Length == 0 ? 1e-12 : Math.Max(1e-12, s[(int)(0.9 * (s.Length - 1))] - s[(int)(0.1 * (s.Length - 1))]);
    }

    /// <summary>
    /// The correction for miscoverage <paramref name="alpha"/>: the ceil((n+1)(1-alpha))-th smallest
    /// score; the largest score when that rank exceeds n (alpha too small for n scores), 0 with no scores.
    /// </summary>
    public double Correction(int cell, double alpha)
    {
        ReadOnlySpan<double> s = Sorted(cell);
        if (s.Length == 0)
        {
            return 0;
        }

        if (alpha >= 1)
        {
            return s[0];
        }

        int rank = (int)Math.Ceiling((s.Length + 1) * (1 - Math.Max(alpha, 0)));
        return s[Math.Clamp(rank, 1, s.Length) - 1];
    }
}

namespace Gpupredict.Training.Evaluation;

/// <summary>Running sums behind one <see cref="BacktestScore"/>; adding a point allocates nothing.</summary>
internal sealed class ScoreAccumulator
{
    private long _points;
    private double _absError;
    private double _pinball;
    private double _absActual;
    private long _inside80;
    private double _width80;
    private long _inside98;
    private double _width98;

    public long Points => _points;

    /// <summary>Scores one forecast value: <paramref name="quantiles"/>[q] is the level-<c>layout.Levels[q]</c> quantile.</summary>
    public void Add(double actual, ReadOnlySpan<double> quantiles, LevelLayout layout)
    {
        double[] levels = layout.Levels;
        double loss = 0;
        for (int q = 0; q < levels.Length; q++)
        {
            loss += QuantileLoss.Pinball(levels[q], quantiles[q], actual);
        }

        _points++;
        _pinball += loss / levels.Length;
        _absError += Math.Abs(actual - quantiles[layout.Median]);
        _absActual += Math.Abs(actual);
        if (layout.Interval80 is (int lo80, int hi80))
        {
            _inside80 += Inside(actual, quantiles[lo80], quantiles[hi80]);
            _width80 += quantiles[hi80] - quantiles[lo80];
        }

        if (layout.Interval98 is (int lo98, int hi98))
        {
            _inside98 += Inside(actual, quantiles[lo98], quantiles[hi98]);
            _width98 += quantiles[hi98] - quantiles[lo98];
        }
    }

    /// <summary>Adds every point of <paramref name="other"/>.</summary>
    public void Merge(ScoreAccumulator other)
    {
        _points += other._points;
        _absError += other._absError;
        _pinball += other._pinball;
        _absActual += other._absActual;
        _inside80 += other._inside80;
        _width80 += other._width80;
        _inside98 += other._inside98;
        _width98 += other._width98;
    }

    public BacktestScore ToScore(LevelLayout layout)
    {
        double n = Math.Max(_points, 1);
        double meanAbsActual = _absActual / n;
        double pinball = _pinball / n;
        bool has80 = layout.Interval80 is not null && _points > 0;
        bool has98 = layout.Interval98 is not null && _points > 0;
        return new BacktestScore(
            _points,
            _absError / n,
            pinball,
            meanAbsActual,
            meanAbsActual > 0 ? pinball / meanAbsActual : null,
            has80 ? _inside80 / n : null,
            has80 ? _width80 / n : null,
            has98 ? _inside98 / n : null,
            has98 ? _width98 / n : null);
    }

    private static int Inside(double actual, double low, double high) => actual >= low && actual <= high ? 1 : 0;
}

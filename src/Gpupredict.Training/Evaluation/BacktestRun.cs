using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Training.Evaluation;

/// <summary>
/// The streaming and scoring half of one <see cref="Backtest.Run"/>: one accumulator per resource and
/// horizon step, and one per resource for burst onsets, shared by every fold's forecaster.
/// </summary>
internal sealed class BacktestRun
{
    // Progress and cancellation are checked this often; cheap enough, and often enough for a terminal.
    private const int CheckEvery = 4096;

    private readonly string _name;
    private readonly int _horizon;
    private readonly BacktestOptions _options;
    private readonly LevelLayout _layout;
    private readonly ScoreAccumulator[] _scores;
    private readonly ScoreAccumulator[] _bursts = [.. Enumerable.Range(0, Resources.Count).Select(_ => new ScoreAccumulator())];
    private readonly bool[] _observed = new bool[Resources.Count];
    private readonly double[] _burstRise = new double[Resources.Count];
    private readonly double[] _quantiles;
    private readonly long _totalSteps;
    private long _doneSteps;
    private long _origins;

    /// <summary>Scores forecasts shaped like <paramref name="first"/>'s (every fold's forecaster is made by the same factory).</summary>
    public BacktestRun(IForecaster first, BacktestOptions options, long totalSteps)
    {
        _name = first.Name;
        _horizon = first.Horizon;
        _options = options;
        _layout = LevelLayout.Of(first.Levels);
        _quantiles = new double[_layout.Levels.Length];
        _scores = new ScoreAccumulator[Resources.Count * _horizon];
        for (int i = 0; i < _scores.Length; i++)
        {
            _scores[i] = new ScoreAccumulator();
        }

        _totalSteps = totalSteps;
    }

    /// <summary>Streams one series through <paramref name="forecaster"/>, scoring at its origins (see <see cref="Backtest.Run"/>), then forgets it.</summary>
    public void Stream(IForecaster forecaster, DemandSeries series, int trainingSteps, CancellationToken cancellationToken)
    {
        foreach (Resource r in Resources.All)
        {
            _observed[(int)r] = ObservedResources.Includes(series.Observed, r);
            _burstRise[(int)r] = BurstRise(series.Values(r));
        }

        int first = Math.Max(trainingSteps - 1, 0);
        for (int t = 0; t < series.Count; t++)
        {
            forecaster.ObserveStep(series.App, t, series, t);
            if (t >= first && (t - first) % _options.OriginEvery == 0 && t + 1 < series.Count)
            {
                Score(forecaster, forecaster.Predict(series.App), series, t);
            }

            if (++_doneSteps % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _options.Progress?.Invoke(_doneSteps, _totalSteps);
            }
        }

        forecaster.Forget(series.App);
    }

    /// <summary>The scores so far, for resources with at least one scored point.</summary>
    public BacktestResult Result(int folds, int seriesCount, long trainingSteps)
    {
        _options.Progress?.Invoke(_doneSteps, _totalSteps);
        int horizon = _horizon;
        var resources = new List<ResourceBacktest>();
        foreach (Resource r in Resources.All)
        {
            var pooled = new ScoreAccumulator();
            var byHorizon = new BacktestScore[horizon];
            for (int h = 0; h < horizon; h++)
            {
                ScoreAccumulator a = _scores[Index(r, h)];
                pooled.Merge(a);
                byHorizon[h] = a.ToScore(_layout);
            }

            if (pooled.Points > 0)
            {
                resources.Add(new ResourceBacktest(r, byHorizon, pooled.ToScore(_layout), _bursts[(int)r].ToScore(_layout)));
            }
        }

        return new BacktestResult(_name, horizon, _layout.Levels, _options.Split, folds, seriesCount, trainingSteps, _origins, resources);
    }

    /// <summary>Scores the forecast made after observing step <paramref name="origin"/>: its step h − 1 (0-based) is step origin + h.</summary>
    private void Score(IForecaster forecaster, Forecast forecast, DemandSeries series, int origin)
    {
        if (!forecast.Levels.SequenceEqual(_layout.Levels) || forecaster.Horizon != _horizon)
        {
            throw new InvalidOperationException($"forecaster '{forecaster.Name}' returned levels [{string.Join(", ", forecast.Levels.ToArray())}] at horizon {forecaster.Horizon}, not its declared [{string.Join(", ", _layout.Levels)}] at {_horizon}");
        }

        _origins++;
        int steps = Math.Min(forecast.Horizon, Math.Min(_horizon, series.Count - 1 - origin));
        foreach (Resource r in Resources.All)
        {
            if (!_observed[(int)r])
            {
                continue;
            }

            ReadOnlySpan<double> actual = series.Values(r);
            double rise = _burstRise[(int)r];
            for (int h = 0; h < steps; h++)
            {
                for (int q = 0; q < _quantiles.Length; q++)
                {
                    _quantiles[q] = forecast.Get(h, q, r);
                }

                double value = actual[origin + 1 + h];
                _scores[Index(r, h)].Add(value, _quantiles, _layout);
                if (value - actual[origin] > rise)
                {
                    _bursts[(int)r].Add(value, _quantiles, _layout);
                }
            }
        }
    }

    /// <summary>The rise past the origin's value that makes a burst onset: the margin's share of the series' range; +∞ for a flat series (no onsets).</summary>
    private double BurstRise(ReadOnlySpan<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double range = max - min;
        return range > 0 ? _options.BurstMargin * range : double.PositiveInfinity;
    }

    private static int Index(Resource r, int h) => (h * Resources.Count) + (int)r;
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Training.Evaluation;

/// <summary>The streaming and scoring half of one <see cref="Backtest.Run"/>: one accumulator per resource and horizon step.</summary>
internal sealed class BacktestRun
{
    // Progress and cancellation are checked this often; cheap enough, and often enough for a terminal.
    private const int CheckEvery = 4096;

    private readonly IForecaster _forecaster;
    private readonly BacktestOptions _options;
    private readonly LevelLayout _layout;
    private readonly ScoreAccumulator[] _scores;
    private readonly bool[] _observed = new bool[Resources.Count];
    private readonly double[] _quantiles;
    private readonly long _totalSteps;
    private long _doneSteps;
    private long _origins;

    public BacktestRun(IForecaster forecaster, BacktestOptions options, long totalSteps)
    {
        _forecaster = forecaster;
        _options = options;
        _layout = LevelLayout.Of(forecaster.Levels);
        _quantiles = new double[_layout.Levels.Length];
        _scores = new ScoreAccumulator[Resources.Count * forecaster.Horizon];
        for (int i = 0; i < _scores.Length; i++)
        {
            _scores[i] = new ScoreAccumulator();
        }

        _totalSteps = totalSteps;
    }

    /// <summary>Streams one series through the forecaster, scoring at its origins (see <see cref="Backtest.Run"/>), then forgets it.</summary>
    public void Stream(DemandSeries series, int trainingSteps, CancellationToken cancellationToken)
    {
        foreach (Resource r in Resources.All)
        {
            _observed[(int)r] = ObservedResources.Includes(series.Observed, r);
        }

        int first = Math.Max(trainingSteps - 1, 0);
        for (int t = 0; t < series.Count; t++)
        {
            _forecaster.ObserveStep(series.App, t, series, t);
            if (t >= first && (t - first) % _options.OriginEvery == 0 && t + 1 < series.Count)
            {
                Score(_forecaster.Predict(series.App), series, t);
            }

            if (++_doneSteps % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _options.Progress?.Invoke(_doneSteps, _totalSteps);
            }
        }

        _forecaster.Forget(series.App);
    }

    /// <summary>The scores so far, for resources with at least one scored point.</summary>
    public BacktestResult Result(int seriesCount, long trainingSteps)
    {
        _options.Progress?.Invoke(_doneSteps, _totalSteps);
        int horizon = _forecaster.Horizon;
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
                resources.Add(new ResourceBacktest(r, byHorizon, pooled.ToScore(_layout)));
            }
        }

        return new BacktestResult(_forecaster.Name, horizon, _layout.Levels, seriesCount, trainingSteps, _origins, resources);
    }

    /// <summary>Scores the forecast made after observing step <paramref name="origin"/>: its step h − 1 (0-based) is step origin + h.</summary>
    private void Score(Forecast forecast, DemandSeries series, int origin)
    {
        if (!forecast.Levels.SequenceEqual(_layout.Levels))
        {
            throw new InvalidOperationException($"forecaster '{_forecaster.Name}' returned levels [{string.Join(", ", forecast.Levels.ToArray())}], not its declared [{string.Join(", ", _layout.Levels)}]");
        }

        _origins++;
        int steps = Math.Min(forecast.Horizon, Math.Min(_forecaster.Horizon, series.Count - 1 - origin));
        foreach (Resource r in Resources.All)
        {
            if (!_observed[(int)r])
            {
                continue;
            }

            ReadOnlySpan<double> actual = series.Values(r);
            for (int h = 0; h < steps; h++)
            {
                for (int q = 0; q < _quantiles.Length; q++)
                {
                    _quantiles[q] = forecast.Get(h, q, r);
                }

                _scores[Index(r, h)].Add(actual[origin + 1 + h], _quantiles, _layout);
            }
        }
    }

    private static int Index(Resource r, int h) => (h * Resources.Count) + (int)r;
}

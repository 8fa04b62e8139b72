using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// Knows the future: built with the replay's applications, it forecasts each one's true demand for
/// the next <see cref="Horizon"/> steps (zero after the application ends), the same value at every
/// quantile level (a point mass). Feeds the oracle policy, the limit the others are measured against.
/// </summary>
public sealed class OracleForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "oracle";

    private readonly Dictionary<AppId, ReplayApp> _apps = [];
    private readonly Dictionary<AppId, long> _last = [];
    private readonly double[] _levels;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="apps">The applications whose futures it knows; identities distinct.</param>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    public OracleForecaster(IReadOnlyList<ReplayApp> apps, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        foreach (ReplayApp app in apps)
        {
            if (!_apps.TryAdd(app.Series.App, app))
            {
                throw new ArgumentException($"two applications share the identity {app.Series.App}", nameof(apps));
            }
        }

        Horizon = horizon;
        _levels = FlatValues.Levels(levels);
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Nothing to learn: the future is given. Clears the streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _last.Clear();

    /// <summary>Writes the horizon and levels (the futures themselves are the replay's input, not saved).</summary>
    public void Save(Stream destination) => FlatValues.Save(destination, PolicyName, Horizon, _levels);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The application is not one the oracle was built with.</exception>
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        if (!_apps.ContainsKey(app))
        {
            throw new ArgumentException($"the oracle does not know application {app}", nameof(app));
        }

        _last[app] = step;
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_last.TryGetValue(app, out long last))
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        ReplayApp replay = _apps[app];
        return FlatValues.Build(app, last, Horizon, _levels, h =>
        {
            long i = last + 1 + h - replay.StartStep;
            return i >= 0 && i < replay.Series.Count ? replay.Series[(int)i] : ResourceVector.Zero;
        });
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _last.Remove(app);
}

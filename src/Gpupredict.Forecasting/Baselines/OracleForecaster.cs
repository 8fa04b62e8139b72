using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Knows the future: built with a replay's recorded demand (<see cref="ForecasterSpec.Recorded"/>), it
/// forecasts each application's true demand for the next <see cref="Horizon"/> steps (zero after the
/// application ends), the same value at every quantile level (a point mass). Feeds the oracle policy,
/// the limit the others are measured against. Only a replay has a future to read: it cannot be
/// built without one, and there is nothing to save but its shape (<see cref="Save"/> writes it; a
/// saved oracle does not load, since it would know no future).
/// </summary>
public sealed class OracleForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "oracle";

    private readonly IReadOnlyDictionary<AppId, RecordedDemand> _apps;
    private readonly Dictionary<AppId, long> _last = [];
    private readonly double[] _levels;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="recorded">The applications whose futures it knows, by identity.</param>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    public OracleForecaster(IReadOnlyDictionary<AppId, RecordedDemand> recorded, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _apps = recorded;
        Horizon = horizon;
        _levels = LevelsPayload.Validated(levels);
    }

    /// <summary>Builds one for <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The spec carries no recorded demand: only a replay has a future to read.</exception>
    public static OracleForecaster For(ForecasterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new OracleForecaster(spec.Recorded ?? throw new ArgumentException($"the '{PolicyName}' forecaster reads the recorded future: it runs only in a replay", nameof(spec)), spec.Horizon, spec.Levels);
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
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, 1);
        LevelsPayload.Write(w, Horizon, _levels);
    }

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

        RecordedDemand replay = _apps[app];
        return FlatValues.Build(app, last, Horizon, _levels, h =>
        {
            long i = last + 1 + h - replay.StartStep;
            return i >= 0 && i < replay.Series.Count ? replay.Series[(int)i] : ResourceVector.Zero;
        });
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _last.Remove(app);
}

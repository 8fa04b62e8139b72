using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The simplest forecaster worth running: an exponentially weighted moving average per resource,
/// with the interval taken from the empirical quantiles of its recent one-step errors.
/// The forecast is flat over the horizon (every step gets the same quantiles). Values are clamped
/// to each resource's range (SM fraction to [0, 1], the others to ≥ 0), which keeps quantiles ordered.
/// </summary>
public sealed class EwmaQuantileForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "ewma";

    private const ushort PayloadVersion = 1;

    private readonly AppStates<EwmaState> _states = new();
    private readonly double[] _levels;
    private readonly double _alpha;
    private readonly int _window;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="alpha">Smoothing factor in (0, 1]: weight of the newest sample.</param>
    /// <param name="window">How many recent one-step errors the quantiles are taken from, ≥ 2.</param>
    public EwmaQuantileForecaster(int horizon, IReadOnlyList<double> levels, double alpha = 0.3, int window = 256)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the smoothing factor must be in (0, 1]");
        }

        Horizon = horizon;
        _levels = [.. levels];
        _alpha = alpha;
        _window = window;

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, _levels, new double[_levels.Length * Resources.Count]);
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Nothing to learn: the level and errors are streaming state. Clears it.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _states.Clear();

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, PayloadVersion);
        w.Write(Horizon);
        w.Write(_levels.Length);
        foreach (double level in _levels)
        {
            w.Write(level);
        }

        w.Write(_alpha);
        w.Write(_window);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static EwmaQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(PolicyName, payloadVersion, PayloadVersion);
        int horizon = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (count is < 1 or > 64)
        {
            throw new ForecasterFormatException($"saved '{PolicyName}' forecaster has {count} quantile levels, expected 1..64");
        }

        double[] levels = new double[count];
        for (int i = 0; i < levels.Length; i++)
        {
            levels[i] = reader.ReadDouble();
        }

        return new EwmaQuantileForecaster(horizon, levels, reader.ReadDouble(), reader.ReadInt32());
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        EwmaState state = _states.GetOrAdd(app, _window, static p => new EwmaState(p));

        state.Update(step, demand, _alpha);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        double[] values = new double[Horizon * _levels.Length * Resources.Count];
        PredictInto(app, values);
        return new Forecast(app, _states.Get(app).LastStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void PredictInto(AppId app, Span<double> destination)
    {
        EwmaState state = _states.Get(app);

        int perStep = _levels.Length * Resources.Count;
        Span<double> first = destination[..perStep];
        foreach (Resource resource in Resources.All)
        {
            int r = (int)resource;
            ReadOnlySpan<double> errors = state.SortedErrors(r);
            int n = errors.Length;
            for (int q = 0; q < _levels.Length; q++)
            {
                double offset = n == 0 ? 0 : errors[NearestRank(_levels[q], n)];
                first[(q * Resources.Count) + r] = Clamp(resource, state.Level[r] + offset);
            }
        }

        for (int h = 1; h < Horizon; h++)
        {
            first.CopyTo(destination.Slice(h * perStep, perStep));
        }
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _states.Remove(app);

    /// <summary>0-based nearest-rank index of the <paramref name="level"/> quantile among <paramref name="n"/> sorted values.</summary>
    internal static int NearestRank(double level, int n) => Math.Clamp((int)Math.Ceiling(level * n) - 1, 0, n - 1);

    private static double Clamp(Resource resource, double value) =>
        resource == Resource.Sm ? Math.Clamp(value, 0, 1) : Math.Max(0, value);
}

using System.Runtime.InteropServices;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Persistence, the naive reference: every quantile of every horizon step is the value observed
/// last. A point forecast, deliberately: its intervals are degenerate (zero width), so its interval
/// coverage is only the share of steps that repeat the previous value exactly, and its pinball loss
/// is that of the median alone. The widened variant — the last value plus the empirical quantiles
/// of the one-step changes — is <c>ewma</c> with smoothing factor 1, so it is not repeated here.
/// Per application it keeps one sample, stored in place: <see cref="Observe"/> allocates nothing.
/// </summary>
public sealed class LastValueForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "last-value";

    private const ushort PayloadVersion = 1;

    private readonly Dictionary<AppId, DemandSample> _last = [];
    private readonly double[] _levels;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    public LastValueForecaster(int horizon, IReadOnlyList<double> levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Horizon = horizon;
        _levels = LevelsPayload.Validated(levels);
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Nothing to learn. Clears the streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _last.Clear();

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static LastValueForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(PolicyName, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, PolicyName);
        return new LastValueForecaster(horizon, levels);
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        ref DemandSample last = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, app, out bool seen);
        if (seen && step <= last.Step)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last one was {last.Step}");
        }

        last = new DemandSample(step, demand);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_last.TryGetValue(app, out DemandSample last))
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        double[] values = FlatForecast.NewValues(Horizon, _levels.Length);
        for (int q = 0; q < _levels.Length; q++)
        {
            foreach (Resource resource in Resources.All)
            {
                FlatForecast.Set(values, q, resource, last.Demand[resource]);
            }
        }

        return FlatForecast.Build(app, last.Step, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _last.Remove(app);
}

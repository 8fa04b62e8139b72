using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The Kubernetes Vertical Pod Autoscaler's recommender, per application, on the 10 ms time base
/// (see <see cref="VpaParameters"/> for the time scale). SM fraction and bandwidth are rates and go
/// the way VPA's CPU goes: every sample into a decaying histogram. VRAM goes the way VPA's memory
/// goes: one peak per interval into a decaying histogram, plus the OOM bump — VRAM above the current
/// upper bound counts as an OOM and adds max(used × 1.2, used + 100 MiB). VPA's three numbers map to
/// the quantile levels by the percentile each is read from: a level at or below the lower-bound
/// percentile (0.5) gets the lower bound, one at or below the target percentile (0.9) the target,
/// any higher level the upper bound. The bounds are ordered, so the quantiles never cross. One
/// answer for the whole horizon. Omitted from VPA: its pod-level minimums (25 millicores, 250 MB),
/// which are policy floors with no GPU analogue, and request-weighted CPU samples (no request here).
/// </summary>
public sealed class VpaForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "vpa";

    private const ushort PayloadVersion = 1;

    private readonly AppStates<VpaAppState> _states = new();
    private readonly double[] _levels;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="parameters">VPA's settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A level or parameter is out of range.</exception>
    public VpaForecaster(int horizon, IReadOnlyList<double> levels, VpaParameters? parameters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Horizon = horizon;
        _levels = LevelsPayload.Validated(levels);
        Parameters = parameters ?? new VpaParameters();
        Parameters.Validate();
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>The settings in use.</summary>
    public VpaParameters Parameters { get; }

    /// <summary>Nothing to learn: the histograms are streaming state. Clears it.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _states.Clear();

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
        Parameters.Write(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static VpaForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(PolicyName, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, PolicyName);
        return new VpaForecaster(horizon, levels, VpaParameters.Read(reader));
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        VpaAppState state = _states.GetOrAdd(app, Parameters, static p => new VpaAppState(p));

        state.Observe(step, demand);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        VpaAppState state = _states.Get(app);

        double[] values = FlatForecast.NewValues(Horizon, _levels.Length);
        foreach (Resource resource in Resources.All)
        {
            VpaRecommendation r = state.Estimate(resource);
            for (int q = 0; q < _levels.Length; q++)
            {
                double level = _levels[q];
                double value = level <= Parameters.LowerBoundPercentile ? r.LowerBound
                    : level <= Parameters.TargetPercentile ? r.Target
                    : r.UpperBound;
                FlatForecast.Set(values, q, resource, value);
            }
        }

        return FlatForecast.Build(app, state.LastStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _states.Remove(app);
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// Google Autopilot's moving-window recommenders (Rzadca et al., EuroSys 2020, §3.2), per
/// application, on the 10 ms time base (see <see cref="AutopilotParameters"/>). Two policies:
/// <list type="bullet">
/// <item><c>autopilot-max</c> (S_max): the peak of each resource over the window, times
/// (1 + margin), at every quantile level. The peak recommender keeps no distribution, so its
/// interval is degenerate; a spike is held until its interval leaves the window.</item>
/// <item><c>autopilot-pct</c> (S_pj): the j-th percentile of the load-adjusted, exponentially
/// decayed histogram, times (1 + margin) — j = 0.95 for SM and bandwidth (CPU-like), 0.98 for VRAM.
/// That recommendation fills every level ≥ j, and the highest level always, so whichever upper
/// level an allocator reads is Autopilot's limit; a lower level ℓ gets the ℓ-th percentile of the
/// same histogram without margin (Autopilot's own view of the load), capped at the recommendation.</item>
/// </list>
/// The margin (10 %) is the safety margin Autopilot adds on top of a moving-window value; the
/// paper's OOM reaction and its ML recommenders are not part of these baselines.
/// </summary>
public sealed class AutopilotForecaster : IForecaster
{
    /// <summary>The peak recommender's policy name.</summary>
    public const string PeakPolicyName = "autopilot-max";

    /// <summary>The percentile recommender's policy name.</summary>
    public const string PercentilePolicyName = "autopilot-pct";

    private const ushort PayloadVersion = 1;

    private readonly AppStates<AutopilotWindow> _windows = new();
    private readonly double[] _levels;
    private readonly double[] _decayByAge;
    private readonly double[] _bucketWeights;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="recommender">Peak (<c>autopilot-max</c>) or percentile (<c>autopilot-pct</c>).</param>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="parameters">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A level or parameter is out of range.</exception>
    public AutopilotForecaster(AutopilotRecommender recommender, int horizon, IReadOnlyList<double> levels, AutopilotParameters? parameters = null)
    {
        if (!Enum.IsDefined(recommender))
        {
            throw new ArgumentOutOfRangeException(nameof(recommender), recommender, "unknown Autopilot recommender");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Recommender = recommender;
        Horizon = horizon;
        _levels = LevelsPayload.Validated(levels);
        Parameters = parameters ?? new AutopilotParameters();
        Parameters.Validate();

        // w[τ] = 2^(−τ·k / halfLife) for an interval τ intervals old (k steps per interval).
        _decayByAge = new double[Parameters.WindowIntervals];
        for (int age = 0; age < _decayByAge.Length; age++)
        {
            _decayByAge[age] = Math.Pow(2, -(double)age * Parameters.AggregationIntervalSteps / Parameters.HalfLifeSteps);
        }

        _bucketWeights = new double[Math.Max(BaselineBuckets.Sm.Count, Math.Max(BaselineBuckets.Bandwidth.Count, BaselineBuckets.Vram.Count))];
    }

    /// <inheritdoc />
    public string Name => Recommender == AutopilotRecommender.Peak ? PeakPolicyName : PercentilePolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Which recommender runs.</summary>
    public AutopilotRecommender Recommender { get; }

    /// <summary>The settings in use.</summary>
    public AutopilotParameters Parameters { get; }

    /// <summary>Nothing to learn: the windows are streaming state. Clears them.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _windows.Clear();

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, Name, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
        Parameters.Write(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static AutopilotForecaster Load(BinaryReader reader, AutopilotRecommender recommender, ushort payloadVersion)
    {
        string name = recommender == AutopilotRecommender.Peak ? PeakPolicyName : PercentilePolicyName;
        ForecasterFile.RequireVersion(name, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, name);
        return new AutopilotForecaster(recommender, horizon, levels, AutopilotParameters.Read(reader));
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        AutopilotWindow window = _windows.GetOrAdd(app, Parameters, static p => new AutopilotWindow(p));

        window.Add(step, demand);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        AutopilotWindow window = _windows.Get(app);

        double margin = 1 + Parameters.SafetyMargin;
        double[] values = FlatForecast.NewValues(Horizon, _levels.Length);
        foreach (Resource resource in Resources.All)
        {
            if (Recommender == AutopilotRecommender.Peak)
            {
                double limit = window.Max(resource) * margin;
                for (int q = 0; q < _levels.Length; q++)
                {
                    FlatForecast.Set(values, q, resource, limit);
                }
            }
            else
            {
                FillPercentileLevels(window, resource, margin, values);
            }
        }

        return FlatForecast.Build(app, window.LastStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _windows.Remove(app);

    private void FillPercentileLevels(AutopilotWindow window, Resource resource, double margin, double[] values)
    {
        ExponentialBuckets buckets = BaselineBuckets.For(resource);
        Span<double> weights = _bucketWeights.AsSpan(0, buckets.Count);
        AutopilotStatistics.FillLoadAdjusted(window, resource, _decayByAge, weights);
        double j = resource switch
        {
            Resource.Sm => Parameters.SmPercentile,
            Resource.MemoryBandwidth => Parameters.BandwidthPercentile,
            _ => Parameters.VramPercentile,
        };
        double limit = AutopilotStatistics.Percentile(weights, buckets, j) * margin;
        for (int q = 0; q < _levels.Length; q++)
        {
            double level = _levels[q];
            double value = level >= j || q == _levels.Length - 1
                ? limit
                : Math.Min(AutopilotStatistics.Percentile(weights, buckets, level), limit);
            FlatForecast.Set(values, q, resource, value);
        }
    }
}

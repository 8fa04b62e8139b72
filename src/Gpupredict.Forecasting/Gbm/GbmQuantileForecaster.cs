using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Gbm.Native;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// Gradient-boosted quantile regression (LightGBM, <c>objective=quantile</c>) over engineered
/// features of each application's recent history (<see cref="GbmFeatures"/>). One booster per
/// resource, level and anchor step (1, 5 and the horizon; steps between are interpolated, see
/// <see cref="GbmAnchors"/>) predicts the change from the newest observed value in the normalised
/// space; the forecast is de-normalised, clamped to each resource's range, and made non-crossing by
/// sorting the levels of every (step, resource). Activity fed through
/// <see cref="IActivityForecaster.Observe(AppId, long, ResourceVector, ReadOnlySpan{double})"/> becomes the event-derived features. Unfitted, or fitted on too little data, it
/// forecasts the last value at every level. <see cref="Observe(AppId, long, ResourceVector)"/> allocates nothing once an
/// application is known.
/// </summary>
public sealed class GbmQuantileForecaster : IActivityForecaster
{
    /// <summary>The policy name: features from demand only.</summary>
    public const string PolicyName = "gbm";

    /// <summary>The policy name with the event-derived features (<see cref="GbmOptions.UseActivity"/>).</summary>
    public const string EventsPolicyName = "gbm-events";

    /// <summary>2: event-derived features added (version-1 files had 37 features).</summary>
    private const ushort PayloadVersion = 2;

    private readonly Dictionary<AppId, GbmHistory> _histories = [];
    private readonly double[] _levels;
    private readonly int[] _anchors;
    private readonly GbmOptions _options;
    private readonly double[] _features = new double[GbmFeatures.Count];
    private readonly double[] _atAnchors;
    private readonly double[] _sorted;
    private GbmModel? _model;

    /// <summary>Creates an unfitted forecaster.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Training budget; <c>null</c> for the defaults.</param>
    public GbmQuantileForecaster(int horizon, IReadOnlyList<double> levels, GbmOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _levels = LevelsPayload.Validated(levels);
        _options = options ?? new GbmOptions();
        _options.Validate();
        Horizon = horizon;
        _anchors = GbmAnchors.For(horizon);
        _atAnchors = new double[_anchors.Length];
        _sorted = new double[_levels.Length];
    }

    /// <inheritdoc />
    public string Name => _options.UseActivity ? EventsPolicyName : PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>The training budget.</summary>
    public GbmOptions Options => _options;

    /// <summary>True once a fit (or a load) produced boosters.</summary>
    public bool IsFitted => _model is not null;

    /// <summary>Trains the boosters from <paramref name="training"/>. Clears streaming state.</summary>
    /// <exception cref="LightGbmException">LightGBM failed; the message is its own.</exception>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _histories.Clear();
        _ceiling = Ceiling(training);
        GbmModel? model = GbmTrainer.Train(training, Horizon, _levels, _options, seed);
        _model?.Dispose();
        _model = model;
    }

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, Name, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
        w.Write(_options.Rounds);
        w.Write(_options.Leaves);
        w.Write(_options.LearningRate);
        w.Write(_options.MinRowsInLeaf);
        w.Write(_options.MaxRows);
        w.Write(_options.MaxBins);
        w.Write(_options.UseActivity);
        GbmFeaturesPayload.Write(w);
        foreach (double c in _ceiling)
        {
            w.Write(c);
        }

        w.Write(_model is not null);
        _model?.Write(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static GbmQuantileForecaster Load(BinaryReader reader, string policy, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(policy, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, policy);
        var options = new GbmOptions
        {
            Rounds = reader.ReadInt32(),
            Leaves = reader.ReadInt32(),
            LearningRate = reader.ReadDouble(),
            MinRowsInLeaf = reader.ReadInt32(),
            MaxRows = reader.ReadInt32(),
            MaxBins = reader.ReadInt32(),
            UseActivity = reader.ReadBoolean(),
        };
        if (options.UseActivity != (policy == EventsPolicyName))
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster says use-activity = {options.UseActivity}, which is the other GBM policy");
        }

        var forecaster = new GbmQuantileForecaster(horizon, levels, options);
        GbmFeaturesPayload.ReadAndCheck(reader, policy);
        for (int r = 0; r < Resources.Count; r++)
        {
            double c = reader.ReadDouble();
            forecaster._ceiling[r] = c >= 0 && c <= MaxLogCeiling ? c : throw new ForecasterFormatException($"saved '{policy}' forecaster: ceiling {c} of {(Resource)r} outside [0, {MaxLogCeiling}]");
        }

        if (reader.ReadBoolean())
        {
            forecaster._model = GbmModel.Read(reader, horizon, levels.Length, policy);
        }

        return forecaster;
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) => Observe(app, step, demand, default);

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        if (!_histories.TryGetValue(app, out GbmHistory? history))
        {
            history = new GbmHistory();
            _histories.Add(app, history);
        }

        history.Push(step, demand, _options.UseActivity ? activity : default);
    }

    /// <inheritdoc />
    /// <exception cref="LightGbmException">LightGBM failed to score.</exception>
    public Forecast Predict(AppId app)
    {
        if (!_histories.TryGetValue(app, out GbmHistory? history))
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        history.WriteFeatures(_features);
        int levels = _levels.Length;
        double[] values = new double[Horizon * levels * Resources.Count];
        foreach (Resource r in Resources.All)
        {
            double now = history.Back(r, 0);
            for (int q = 0; q < levels; q++)
            {
                for (int a = 0; a < _anchors.Length; a++)
                {
                    _atAnchors[a] = now + (_model?.PredictChange(r, q, a, _features) ?? 0);
                }

                for (int h = 0; h < Horizon; h++)
                {
                    double v = Math.Min(GbmAnchors.Interpolate(_anchors, _atAnchors, h + 1), Math.Max(_ceiling[(int)r], now + HeadroomLog));
                    values[Index(h, q, r)] = GbmFeatures.Moved(r, history.Newest[r], v - now);
                }
            }

            // Non-crossing by rearrangement: each booster learnt its level alone.
            for (int h = 0; h < Horizon; h++)
            {
                for (int q = 0; q < levels; q++)
                {
                    _sorted[q] = values[Index(h, q, r)];
                }

                Array.Sort(_sorted);
                for (int q = 0; q < levels; q++)
                {
                    values[Index(h, q, r)] = _sorted[q];
                }
            }
        }

        return new Forecast(app, history.LastStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _histories.Remove(app);

    /// <summary>
    /// Per resource, the largest normalised value a forecast may take: the training maximum plus
    /// ln(4). Boosters predict changes in log1p space, and exp turns an overshooting upper quantile
    /// into petabytes; no application demands four times anything it was ever seen to use (nor four
    /// times what it uses now, the other bound applied at prediction).
    /// </summary>
    private static double[] Ceiling(IReadOnlyList<DemandSeries> training)
    {
        double[] ceiling = [1, MaxLogCeiling, MaxLogCeiling];
        for (int r = 1; r < Resources.Count; r++)
        {
            double max = -1;
            foreach (DemandSeries s in training)
            {
                foreach (double x in s.Values((Resource)r))
                {
                    max = Math.Max(max, GbmFeatures.Normalise((Resource)r, x));
                }
            }

            ceiling[r] = max < 0 ? MaxLogCeiling : Math.Min(MaxLogCeiling, max + HeadroomLog);
        }

        return ceiling;
    }

    private const double HeadroomLog = 1.3862943611198906; // ln 4
    private const double MaxLogCeiling = 60;

    private double[] _ceiling = [1, MaxLogCeiling, MaxLogCeiling];

    private int Index(int h, int q, Resource r) => (((h * _levels.Length) + q) * Resources.Count) + (int)r;
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// A global MLP quantile forecaster (N-BEATS-like, one block) built to forecast applications it
/// never saw from their first steps. Each resource of each application is one row: its last L
/// values on a unit-free scale (the application's own running peak, <see cref="MlpScaling"/>;
/// the lookback padded with the first value until full), its EWMA level and volatility
/// (<see cref="MlpFeatures"/>), through two ReLU layers (<see cref="MlpNetwork"/>) to Horizon ×
/// Levels outputs: per horizon step a median that is a change from a base (the newest value or the
/// EWMA level) and non-crossing softplus steps around it, in units of the application's recent
/// volatility (<see cref="MlpHead"/>). The last layer starts at zero, so the untrained model is its
/// base with a narrow interval. Trained across all training series at once on the pinball loss
/// with Adam, a cosine learning rate and early stopping on each series' held-out end
/// (<see cref="MlpTraining"/>; the curve is <see cref="TrainingCurve"/>). With
/// <see cref="MlpOptions.UseActivity"/> the rows also carry the newest step's activity.
/// <see cref="StepBatch"/> advances many applications in one blocked pass without allocating.
/// </summary>
public sealed class MlpQuantileForecaster : IActivityForecaster, ISlotForecaster, ITrainingCurve
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "mlp";

    private readonly SlotBatch _batch = new();
    private readonly MlpLayout _layout;
    private readonly MlpOptions _options;
    private readonly MlpSlots _slots;
    private readonly MlpNetwork _network;
    private readonly MlpHead _head;
    private readonly float[] _parameters, _one;
    private float[] _x = [], _bases = [], _spreads = [], _scales = [];
    private List<TrainingEpoch> _curve = [];

    /// <summary>Creates an untrained forecaster (weights initialised with seed 0): it forecasts its base.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Lookback, scaling, network size and training budget; <c>null</c> for the defaults.</param>
    public MlpQuantileForecaster(int horizon, IReadOnlyList<double> levels, MlpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        double[] copy = [.. levels];

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, copy, new double[copy.Length * Resources.Count]);
        _options = options ?? new MlpOptions();
        _options.Validate();
        _layout = new MlpLayout(_options.Lookback, _options.Hidden, horizon, copy, _options.UseActivity);
        _parameters = new float[_layout.Count];
        _slots = new MlpSlots(_options.Lookback);
        _network = new MlpNetwork(_layout, 3 * 16);
        _head = new MlpHead(_layout, 3 * 16);
        _one = new float[OutputsPerApp];
        EnsureRows(3 * 16);
        MlpTraining.Initialise(_layout, _parameters, new Random(0));
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon => _layout.Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _layout.Levels;

    /// <summary>The hyper-parameters.</summary>
    public MlpOptions Options => _options;

    /// <inheritdoc />
    public IReadOnlyList<TrainingEpoch> TrainingCurve => _curve;

    /// <summary>Floats <see cref="StepBatch"/> writes per application: Horizon × Levels × 3.</summary>
    public int OutputsPerApp => _layout.Outputs * Resources.Count;

    /// <summary>The flat parameter vector (for tests).</summary>
    internal float[] Parameters => _parameters;

    internal MlpLayout Layout => _layout;

    /// <summary>Re-initialises the weights from <paramref name="seed"/> and trains on every window of <paramref name="training"/>. Clears streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _slots.Clear();
        var rng = new Random(seed);
        MlpTraining.Initialise(_layout, _parameters, rng);
        _curve = MlpTraining.Train(_layout, _parameters, training, _options, rng);
    }

    /// <inheritdoc />
    public void Save(Stream destination) => MlpModelFile.Save(destination, _layout, _options, _parameters);

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static MlpQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        (int horizon, double[] levels, MlpOptions options) = MlpModelFile.ReadShape(reader, payloadVersion);
        var f = new MlpQuantileForecaster(horizon, levels, options);
        MlpModelFile.ReadWeights(reader, f._parameters);
        return f;
    }

    /// <summary>
    /// The slot of <paramref name="app"/> for <see cref="StepBatch"/>, taken (with an empty lookback) on
    /// first use. Stable until <see cref="Forget"/> or <see cref="Fit"/>; may allocate when a new app is added.
    /// </summary>
    public int Slot(AppId app) => _slots.Acquire(app);

    /// <summary>
    /// Advances many applications by one 10 ms step and forecasts each, in one blocked pass over
    /// 3 rows per application and without allocating once the buffers fit the batch. Slot
    /// <c>slots[i]</c> (from <see cref="Slot"/>) takes the raw demand <c>inputs[3i..3i+3)</c> = (SM
    /// fraction 0..1, bandwidth bytes/s, VRAM bytes) as its next step (its step number becomes the
    /// previous one + 1), and its quantiles go to <c>quantilesOut[i·OutputsPerApp ..]</c>, laid out
    /// [horizon][level][resource] in raw units, non-crossing and clamped like <see cref="Predict"/>'s.
    /// Same results as <see cref="Observe(AppId, long, ResourceVector)"/> then <see cref="Predict"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths do not match, or a slot is not in use.</exception>
    public void StepBatch(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> quantilesOut)
    {
        _slots.RequireBatch(slots, inputs.Length, quantilesOut.Length, OutputsPerApp);

        for (int i = 0; i < slots.Length; i++)
        {
            Push(slots[i], _slots.LastStep[slots[i]] + 1, inputs.Slice(3 * i, 3), []);
        }

        Quantiles(slots, quantilesOut);
    }

    /// <summary>The tick's batch through <see cref="StepBatch"/>: one pass for all its applications; same values as Observe then Predict.</summary>
    public void Step(ForecastBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_options.UseActivity)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                ReadOnlySpan<double> activity = batch.Activity(i);
                if (!activity.IsEmpty)
                {
                    _slots.Stage(Slot(batch.App(i)), activity);
                }
            }
        }

        _batch.Step(this, batch);
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) =>
        Push(_slots.Acquire(app), step, [(float)demand.SmFraction, (float)demand.BandwidthBytesPerSecond, (float)demand.VramBytes], []);

    /// <summary>Feeds the step with its activity (read only when <see cref="MlpOptions.UseActivity"/>; empty: unknown, read as none).</summary>
    public void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        Span<float> values = stackalloc float[MlpLayout.ActivityInputs];
        bool known = _options.UseActivity && activity.Length == MlpLayout.ActivityInputs;
        for (int c = 0; known && c < values.Length; c++)
        {
            values[c] = (float)activity[c];
        }

        Push(_slots.Acquire(app), step, [(float)demand.SmFraction, (float)demand.BandwidthBytesPerSecond, (float)demand.VramBytes], known ? values : []);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_slots.TryGet(app, out int slot) || _slots.Seen[slot] == 0)
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        Quantiles([slot], _one);
        double[] values = new double[_one.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _one[i];
        }

        return new Forecast(app, _slots.LastStep[slot], Horizon, _layout.Levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _slots.Release(app);

    /// <summary>Feeds one raw step (as floats, as <see cref="StepBatch"/> receives it) and its activity (or empty) to the slot.</summary>
    private void Push(int slot, long step, ReadOnlySpan<float> raw, ReadOnlySpan<float> activity)
    {
        bool log = _options.LogBytes;
        Span<float> u = [MlpScaling.Transform(0, raw[0], log), MlpScaling.Transform(1, raw[1], log), MlpScaling.Transform(2, raw[2], log)];
        _slots.Push(slot, u, _options.ScaleDecay, _options.EwmaAlpha, activity);
        _slots.LastStep[slot] = step;
    }

    /// <summary>Forecasts every slot of <paramref name="slots"/> from its current state into <paramref name="output"/>, [horizon][level][resource] in raw units.</summary>
    private void Quantiles(ReadOnlySpan<int> slots, Span<float> output)
    {
        int rows = slots.Length * Resources.Count, f = _layout.Features, o = _layout.Outputs;
        EnsureRows(rows);
        for (int i = 0; i < slots.Length; i++)
        {
            for (int r = 0; r < Resources.Count; r++)
            {
                int row = (i * Resources.Count) + r;
                (_bases[row], _spreads[row], _scales[row]) = MlpFeatures.Row(_slots, slots[i], r, _layout, _options, _x.AsSpan(row * f, f));
            }
        }

        _network.Forward(_parameters, _x, rows);
        _head.Forward(_network.Raw, _bases, _spreads, rows);
        ReadOnlySpan<float> values = _head.Values;
        for (int i = 0; i < slots.Length; i++)
        {
            Span<float> app = output.Slice(i * OutputsPerApp, OutputsPerApp);
            for (int r = 0; r < Resources.Count; r++)
            {
                int row = (i * Resources.Count) + r;
                ReadOnlySpan<float> v = values.Slice(row * o, o);
                float scale = _scales[row];
                for (int k = 0; k < o; k++)
                {
                    app[(k * Resources.Count) + r] = MlpScaling.Inverse(r, v[k], scale, _options.LogBytes);
                }
            }
        }
    }

    /// <summary>Sizes the per-row buffers for <paramref name="rows"/> rows; allocates only when they are smaller.</summary>
    private void EnsureRows(int rows)
    {
        _network.EnsureCapacity(rows);
        _head.EnsureCapacity(rows);
        if (_bases.Length < rows)
        {
            int n = Math.Max(rows, _bases.Length * 2);
            _x = new float[n * _layout.Features];
            _bases = new float[n];
            _spreads = new float[n];
            _scales = new float[n];
        }
    }
}

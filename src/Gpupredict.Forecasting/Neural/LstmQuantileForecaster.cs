using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// An LSTM quantile forecaster built to forecast applications it never saw from their first step:
/// one LSTM layer over each application's values on its own scale (<see cref="StepFeatures"/>: over
/// its running peak, with changes and volatility), a linear head giving Horizon × Levels × 3
/// quantiles that cannot cross, as a change from the newest value in units of the application's
/// volatility (<see cref="RecurrentHead"/>; zero-initialised, so the untrained model is persistence),
/// trained with the pinball loss by truncated BPTT, Adam, a cosine learning rate and early stopping
/// on each series' held-out end (<see cref="RecurrentTraining"/>; the curve is <see cref="TrainingCurve"/>).
/// Per-application (h, c) live in a slot table: <see cref="Observe"/> is one cell step,
/// <see cref="Predict"/> applies the head to the current h, and <see cref="StepBatch"/> advances
/// many applications at once without allocating.
/// </summary>
public sealed class LstmQuantileForecaster : IForecaster, ISlotForecaster, ITrainingCurve
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "lstm";

    private readonly SlotBatch _batch = new();
    private readonly LstmLayout _layout;
    private readonly LstmOptions _options;
    private readonly SlotStream _stream;
    private readonly float[] _parameters;
    private List<TrainingEpoch> _curve = [];

    /// <summary>Creates an untrained forecaster (weights initialised with seed 0).</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Network size and training budget; <c>null</c> for the defaults.</param>
    public LstmQuantileForecaster(int horizon, IReadOnlyList<double> levels, LstmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        double[] copy = [.. levels];

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, copy, new double[copy.Length * Resources.Count]);
        _options = options ?? new LstmOptions();
        _options.Validate();
        _layout = new LstmLayout(_options.Hidden, horizon, copy);
        _parameters = new float[_layout.Count];
        _stream = new SlotStream(new LstmSlots(_options.Hidden, _options.ScaleDecay), new LstmInference(_layout), horizon, copy, _layout.Outputs);
        LstmTrainer.Initialise(_layout, _parameters, new Random(0));
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon => _layout.Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _layout.Levels;

    /// <summary>The hyper-parameters.</summary>
    public LstmOptions Options => _options;

    /// <summary>Floats <see cref="StepBatch"/> writes per application: Horizon × Levels × 3.</summary>
    public int OutputsPerApp => _layout.Outputs;

    /// <summary>The flat parameter vector (for tests and gradient checks).</summary>
    internal float[] Parameters => _parameters;

    internal LstmLayout Layout => _layout;

    /// <inheritdoc />
    public IReadOnlyList<TrainingEpoch> TrainingCurve => _curve;

    /// <summary>Re-initialises the weights from <paramref name="seed"/> and trains. Clears streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _stream.Slots.Clear();
        var rng = new Random(seed);
        LstmTrainer.Initialise(_layout, _parameters, rng);
        _curve = LstmTrainer.Train(_layout, _parameters, training, _options, rng);
    }

    /// <summary>
    /// The slot of <paramref name="app"/> for <see cref="StepBatch"/>, taken (with a zero state) on
    /// first use. Stable until <see cref="Forget"/> or <see cref="Fit"/>; may allocate when a new app is added.
    /// </summary>
    public int Slot(AppId app) => _stream.Slots.Acquire(app);

    /// <summary>
    /// Advances many applications by one 10 ms step and forecasts each, with one blocked matrix pass
    /// and no allocation. Slot <c>slots[i]</c> (from <see cref="Slot"/>) takes the raw demand
    /// <c>inputs[3i..3i+3)</c> = (SM fraction 0..1, bandwidth bytes/s, VRAM bytes) as its next step
    /// (its step number becomes the previous one + 1), and its quantiles go to
    /// <c>quantilesOut[i·OutputsPerApp ..]</c>, laid out [horizon][level][resource] in raw units,
    /// non-crossing and clamped like <see cref="Predict"/>'s. Same results as <see cref="Observe"/> then <see cref="Predict"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths do not match, or a slot is not in use.</exception>
    public void StepBatch(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> quantilesOut) =>
        _stream.StepBatch(_parameters, slots, inputs, quantilesOut);

    /// <inheritdoc />
    public void Save(Stream destination) => LstmModelFile.Save(destination, _layout, _options, _parameters);

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static LstmQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        (int horizon, double[] levels, LstmOptions options) = LstmModelFile.ReadShape(reader, payloadVersion);
        var f = new LstmQuantileForecaster(horizon, levels, options);
        LstmModelFile.ReadWeights(reader, f._parameters);
        return f;
    }

    /// <summary>The tick's batch through <see cref="StepBatch"/>: one pass for all its applications; same values as Observe then Predict.</summary>
    public void Step(ForecastBatch batch) => _batch.Step(this, batch);

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) => _stream.Observe(_parameters, app, step, demand);

    /// <inheritdoc />
    public Forecast Predict(AppId app) => _stream.Predict(_parameters, app);

    /// <inheritdoc />
    public void Forget(AppId app) => _stream.Slots.Release(app);
}

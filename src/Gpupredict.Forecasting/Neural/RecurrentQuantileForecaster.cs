using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// A one-layer recurrent quantile forecaster whose cell is a GRU or an Elman RNN: the per-application
/// scaled features (<see cref="StepFeatures"/>), quantile head around the newest value
/// (<see cref="RecurrentHead"/>; untrained, it is persistence), early-stopped pinball-loss training
/// by truncated BPTT with Adam (<see cref="RecurrentTraining"/>) and per-application slots of <see cref="LstmQuantileForecaster"/>.
/// <see cref="Observe"/> is one cell step, <see cref="Predict"/> applies the head to the current h,
/// and <see cref="StepBatch"/> advances many applications at once without allocating.
/// </summary>
public abstract class RecurrentQuantileForecaster : IForecaster, ISlotForecaster, ITrainingCurve
{
    private readonly SlotBatch _batch = new();
    private readonly string _policy;
    private readonly ushort _payloadVersion;
    private readonly IRecurrentCell _cell;
    private readonly RecurrentLayout _layout;
    private readonly LstmOptions _options;
    private readonly SlotStream _stream;
    private readonly float[] _parameters;
    private List<TrainingEpoch> _curve = [];

    private protected RecurrentQuantileForecaster(string policy, ushort payloadVersion, IRecurrentCell cell, int horizon, IReadOnlyList<double> levels, LstmOptions? options)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        double[] copy = [.. levels];

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, copy, new double[copy.Length * Resources.Count]);
        _policy = policy;
        _payloadVersion = payloadVersion;
        _cell = cell;
        _options = options ?? new LstmOptions();
        _options.Validate();
        _layout = new RecurrentLayout(_options.Hidden, cell.GatesPerUnit, horizon, copy);
        _parameters = new float[_layout.Count];
        _stream = new SlotStream(new LstmSlots(_options.Hidden, _options.ScaleDecay), new RecurrentInference(_layout, cell), horizon, copy, _layout.Outputs);
        Initialise(new Random(0));
    }

    /// <inheritdoc />
    public string Name => _policy;

    /// <inheritdoc />
    public int Horizon => _layout.Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _layout.Levels;

    /// <summary>The hyper-parameters (the LSTM's: hidden units, window, training budget).</summary>
    public LstmOptions Options => _options;

    /// <summary>Floats <see cref="StepBatch"/> writes per application: Horizon × Levels × 3.</summary>
    public int OutputsPerApp => _layout.Outputs;

    /// <summary>The flat parameter vector (for tests and gradient checks).</summary>
    internal float[] Parameters => _parameters;

    internal RecurrentLayout Layout => _layout;

    internal IRecurrentCell Cell => _cell;

    /// <inheritdoc />
    public IReadOnlyList<TrainingEpoch> TrainingCurve => _curve;

    /// <summary>Re-initialises the weights from <paramref name="seed"/> and trains. Clears streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _stream.Slots.Clear();
        var rng = new Random(seed);
        Initialise(rng);
        _curve = RecurrentTraining.Train(_layout.Horizon, _parameters, training, _options, rng, () => new RecurrentWindow(_layout, _cell, _options.Window));
    }

    /// <summary>
    /// The slot of <paramref name="app"/> for <see cref="StepBatch"/>, taken (with a zero state) on
    /// first use. Stable until <see cref="Forget"/> or <see cref="Fit"/>; may allocate when a new app is added.
    /// </summary>
    public int Slot(AppId app) => _stream.Slots.Acquire(app);

    /// <summary>
    /// Advances many applications by one 10 ms step and forecasts each, with blocked matrix passes
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
    public void Save(Stream destination) =>
        RecurrentModelFile.Save(destination, _policy, _payloadVersion, _layout.Horizon, _layout.Levels, _options, _parameters);

    /// <summary>The tick's batch through <see cref="StepBatch"/>: one pass for all its applications; same values as Observe then Predict.</summary>
    public void Step(ForecastBatch batch) => _batch.Step(this, batch);

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) => _stream.Observe(_parameters, app, step, demand);

    /// <inheritdoc />
    public Forecast Predict(AppId app) => _stream.Predict(_parameters, app);

    /// <inheritdoc />
    public void Forget(AppId app) => _stream.Slots.Release(app);

    /// <summary>Reads the weights of a saved model into this freshly built one.</summary>
    private protected void ReadWeights(BinaryReader reader) =>
        RecurrentModelFile.ReadWeights(reader, _policy, _parameters);

    /// <summary>Uniform ±1/√H weights, zero biases, the head at persistence.</summary>
    private void Initialise(Random rng) =>
        RecurrentTraining.Initialise(_parameters, _layout.Hidden, _layout.BiasOffset, _layout.HeadOffset, _layout.HeadOffset, _layout.HeadBiasOffset, _layout.LevelCount, _layout.Median, rng);
}

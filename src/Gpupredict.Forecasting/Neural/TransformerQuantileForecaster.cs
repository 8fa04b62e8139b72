using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// A small Transformer encoder quantile forecaster: the last W steps' features (the recurrent
/// models' per-application scaled <see cref="StepFeatures"/>) go through one encoder block
/// (<see cref="TransformerEncoder"/>), and the last position's output feeds the recurrent models'
/// non-crossing quantile head around the newest value (zero-initialised: untrained, persistence).
/// Trained on the pinball loss with Adam, a cosine learning rate and early stopping
/// (<see cref="TransformerTraining"/>). <see cref="Observe"/> appends to the application's ring of
/// W steps (no allocation once the application has a slot); <see cref="Predict"/> runs the encoder
/// over the ring, O(W·d²); <see cref="StepBatch"/> does both for many applications without allocating. Before W steps are seen the missing steps are zero features, as in training.
/// </summary>
public sealed class TransformerQuantileForecaster : IForecaster, ISlotForecaster, ITrainingCurve
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "transformer";

    /// <summary>The payload version <see cref="Save"/> writes (format of <see cref="TransformerModelFile"/>).</summary>
    internal const ushort PayloadVersion = 2;

    private readonly SlotBatch _batch = new();
    private readonly TransformerLayout _layout;
    private readonly TransformerOptions _options;
    private readonly TransformerSlots _slots;
    private readonly TransformerEncoder _encoder;
    private readonly RecurrentHead _head;
    private readonly float[] _parameters, _raw, _one;
    private readonly float[] _scaling = new float[StepFeatures.ScalingCount];
    private List<TrainingEpoch> _curve = [];

    /// <summary>Creates an untrained forecaster (weights initialised with seed 0).</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Encoder size, context and training budget; <c>null</c> for the defaults.</param>
    public TransformerQuantileForecaster(int horizon, IReadOnlyList<double> levels, TransformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        double[] copy = [.. levels];

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, copy, new double[copy.Length * Resources.Count]);
        _options = options ?? new TransformerOptions();
        _options.Validate();
        _layout = new TransformerLayout(_options, horizon, copy);
        _parameters = new float[_layout.Count];
        _slots = new TransformerSlots(_options.Window, _options.ScaleDecay);
        _encoder = new TransformerEncoder(_layout);
        _head = new RecurrentHead(horizon, _layout.Levels, _layout.Median, _layout.HeadOffset, _layout.HeadBiasOffset);
        _raw = new float[_layout.Outputs];
        _one = new float[_layout.Outputs];
        TransformerTraining.Initialise(_layout, _parameters, new Random(0));
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon => _layout.Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _layout.Levels;

    /// <summary>The hyper-parameters.</summary>
    public TransformerOptions Options => _options;

    /// <summary>The flat parameter vector (for tests and gradient checks).</summary>
    internal float[] Parameters => _parameters;

    internal TransformerLayout Layout => _layout;

    /// <inheritdoc />
    public IReadOnlyList<TrainingEpoch> TrainingCurve => _curve;

    /// <summary>Re-initialises the weights from <paramref name="seed"/> and trains. Clears streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _slots.Clear();
        var rng = new Random(seed);
        TransformerTraining.Initialise(_layout, _parameters, rng);
        _curve = TransformerTraining.Train(_layout, _parameters, training, _options, rng);
    }

    /// <inheritdoc />
    public void Save(Stream destination) =>
        TransformerModelFile.Save(destination, PolicyName, PayloadVersion, _layout.Horizon, _layout.Levels, _options, _parameters);

    /// <summary>Reads what Save wrote, after the envelope header.</summary>
    internal static TransformerQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        (int horizon, double[] levels, TransformerOptions options) = TransformerModelFile.ReadShape(reader, PolicyName, payloadVersion, PayloadVersion);
        var f = new TransformerQuantileForecaster(horizon, levels, options);
        RecurrentModelFile.ReadWeights(reader, PolicyName, f._parameters);
        return f;
    }

    /// <summary>Floats <see cref="StepBatch"/> writes per application: Horizon × Levels × 3.</summary>
    public int OutputsPerApp => _layout.Outputs;

    /// <summary>
    /// The slot of <paramref name="app"/> for <see cref="StepBatch"/>, taken (with an empty window) on
    /// first use. Stable until <see cref="Forget"/> or <see cref="Fit"/>; may allocate when a new app is added.
    /// </summary>
    public int Slot(AppId app) => _slots.Acquire(app);

    /// <summary>
    /// Advances many applications by one 10 ms step and forecasts each, without allocating. Slot
    /// <c>slots[i]</c> (from <see cref="Slot"/>) takes the raw demand <c>inputs[3i..3i+3)</c> =
    /// (SM fraction 0..1, bandwidth bytes/s, VRAM bytes) as its next step (its step number becomes
    /// the previous one + 1), and its quantiles go to <c>quantilesOut[i·OutputsPerApp ..]</c>, laid
    /// out [horizon][level][resource] in raw units, non-crossing and clamped like <see cref="Predict"/>'s.
    /// Same results as <see cref="Observe"/> then <see cref="Predict"/>; each slot costs one encoder pass.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths do not match, or a slot is not in use.</exception>
    public void StepBatch(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> quantilesOut)
    {
        _slots.RequireBatch(slots, inputs.Length, quantilesOut.Length, OutputsPerApp);

        for (int i = 0; i < slots.Length; i++)
        {
            Push(slots[i], _slots.LastStep[slots[i]] + 1, inputs[3 * i], inputs[(3 * i) + 1], inputs[(3 * i) + 2]);
            Quantiles(slots[i], quantilesOut.Slice(i * OutputsPerApp, OutputsPerApp));
        }
    }

    /// <summary>The tick's batch through <see cref="StepBatch"/>: one pass for all its applications; same values as Observe then Predict.</summary>
    public void Step(ForecastBatch batch) => _batch.Step(this, batch);

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) =>
        Push(_slots.Acquire(app), step, (float)demand.SmFraction, (float)demand.BandwidthBytesPerSecond, (float)demand.VramBytes);

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_slots.TryGet(app, out int slot) || _slots.Filled[slot] == 0)
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        Quantiles(slot, _one);
        double[] values = new double[_one.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _one[i];
        }

        return new Forecast(app, _slots.LastStep[slot], Horizon, _layout.Levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _slots.Release(app);

    /// <summary>Appends one raw step (rounded to float first, as <see cref="StepBatch"/> receives it) to the slot's ring.</summary>
    private void Push(int slot, long step, float sm, float bandwidth, float vram)
    {
        _slots.Push(slot, [sm, bandwidth, vram]);
        _slots.LastStep[slot] = step;
    }

    /// <summary>Runs the encoder over the slot's window and writes its quantiles, [horizon][level][resource] in raw units.</summary>
    private void Quantiles(int slot, Span<float> output)
    {
        _slots.Window(slot, _encoder.Input);
        _encoder.Forward(_parameters);
        TransformerMath.Affine(_parameters, _layout.HeadOffset, _layout.HeadBiasOffset, _encoder.Output, _raw);
        _slots.Scaling(slot, _scaling);
        _head.Emit(_raw, _scaling, output);
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// An LSTM quantile forecaster: one LSTM layer over the normalised resources and their deltas,
/// a linear head giving Horizon × Levels × 3 quantiles in normalised space that cannot cross
/// (median plus softplus steps), trained with the pinball loss by truncated BPTT and Adam.
/// Per-application (h, c) live in a slot table: <see cref="Observe"/> is one cell step,
/// <see cref="Predict"/> applies the head to the current h, and <see cref="StepBatch"/> advances
/// many applications at once without allocating.
/// </summary>
public sealed class LstmQuantileForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "lstm";

    private readonly LstmLayout _layout;
    private readonly LstmOptions _options;
    private readonly LstmSlots _slots;
    private readonly LstmInference _inference;
    private readonly float[] _parameters;
    private readonly float[] _one;
    private LstmNormaliser _normaliser = new();

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
        _slots = new LstmSlots(_options.Hidden);
        _inference = new LstmInference(_layout);
        _one = new float[_layout.Outputs];
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

    internal LstmNormaliser Normaliser => _normaliser;

    /// <summary>Re-initialises the weights from <paramref name="seed"/>, fits normalisation and trains. Clears streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        _slots.Clear();
        var rng = new Random(seed);
        LstmTrainer.Initialise(_layout, _parameters, rng);
        _normaliser = LstmNormaliser.Fit(training);
        LstmTrainer.Train(_layout, _parameters, _normaliser, training, _options, rng);
    }

    /// <summary>
    /// The slot of <paramref name="app"/> for <see cref="StepBatch"/>, taken (with a zero state) on
    /// first use. Stable until <see cref="Forget"/> or <see cref="Fit"/>; may allocate when a new app is added.
    /// </summary>
    public int Slot(AppId app) => _slots.Acquire(app);

    /// <summary>
    /// Advances many applications by one 10 ms step and forecasts each, with one blocked matrix pass
    /// and no allocation. Slot <c>slots[i]</c> (from <see cref="Slot"/>) takes the raw demand
    /// <c>inputs[3i..3i+3)</c> = (SM fraction 0..1, bandwidth bytes/s, VRAM bytes) as its next step
    /// (its step number becomes the previous one + 1), and its quantiles go to
    /// <c>quantilesOut[i·OutputsPerApp ..]</c>, laid out [horizon][level][resource] in raw units,
    /// non-crossing and clamped like <see cref="Predict"/>'s. Same results as <see cref="Observe"/> then <see cref="Predict"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths do not match, or a slot is not in use.</exception>
    public void StepBatch(ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs, Span<float> quantilesOut)
    {
        if (inputs.Length != slots.Length * Resources.Count || quantilesOut.Length < slots.Length * OutputsPerApp)
        {
            throw new ArgumentException($"{slots.Length} slots need {slots.Length * Resources.Count} inputs and {slots.Length * OutputsPerApp} outputs; got {inputs.Length} and {quantilesOut.Length}");
        }

        foreach (int slot in slots)
        {
            if (!_slots.InUse(slot))
            {
                throw new ArgumentException($"slot {slot} belongs to no application", nameof(slots));
            }

            _slots.LastStep[slot]++;
        }

        _inference.Advance(_parameters, _normaliser, _slots, slots, inputs);
        _inference.Quantiles(_parameters, _normaliser, _slots, slots, quantilesOut);
    }

    /// <inheritdoc />
    public void Save(Stream destination) => LstmModelFile.Save(destination, _layout, _options, _normaliser, _parameters);

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static LstmQuantileForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        (int horizon, double[] levels, LstmOptions options) = LstmModelFile.ReadShape(reader, payloadVersion);
        var f = new LstmQuantileForecaster(horizon, levels, options);
        f._normaliser = LstmModelFile.ReadWeights(reader, f._parameters);
        return f;
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        int slot = _slots.Acquire(app);
        ReadOnlySpan<int> slots = [slot];
        Span<float> input = [(float)demand.SmFraction, (float)demand.BandwidthBytesPerSecond, (float)demand.VramBytes];
        _slots.LastStep[slot] = step;
        _inference.Advance(_parameters, _normaliser, _slots, slots, input);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_slots.TryGet(app, out int slot) || !_slots.Stepped[slot])
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        _inference.Quantiles(_parameters, _normaliser, _slots, [slot], _one);
        double[] values = new double[_one.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _one[i];
        }

        return new Forecast(app, _slots.LastStep[slot], Horizon, _layout.Levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _slots.Release(app);
}

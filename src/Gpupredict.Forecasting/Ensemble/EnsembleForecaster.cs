using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Ensemble;

/// <summary>
/// A combination of forecasters (policy "ensemble"), weighed per application by how well each has
/// forecast that application lately. Every member forecasts every step; when the actual value of a
/// step arrives, each member's past forecasts of it are scored (pinball loss, per resource and
/// horizon step, exponentially weighted), and each cell of the served forecast is the members'
/// quantiles averaged with weights from those losses (<see cref="EnsembleWeights"/>). The first
/// member is the anchor (<c>ewma</c> by default): a new application gets its forecast unchanged,
/// and another member gets weight only once its recent loss there beats the anchor's by
/// <see cref="EnsembleOptions.Margin"/> plus <see cref="EnsembleOptions.Confidence"/> standard errors,
/// over at least <see cref="EnsembleOptions.MinPoints"/> points.
/// </summary>
public sealed class EnsembleForecaster : IActivityForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "ensemble";

    /// <summary>Most members an ensemble holds.</summary>
    public const int MaxMembers = 16;

    private const ushort PayloadVersion = 1;

    private readonly IForecaster[] _members;
    private readonly double[] _levels;
    private readonly double _rate;
    private readonly double _maxEffectivePoints;
    private readonly AppStates<EnsembleAppState> _states = new();
    private EnsembleAppState[] _slots = new EnsembleAppState[16];

    /// <summary>Combines <paramref name="members"/>; the first is the anchor.</summary>
    /// <param name="members">2..16 forecasters with the same horizon and levels; the ensemble owns them from now on.</param>
    /// <param name="options">Margin, temperature, half-life and points needed; null for the defaults.</param>
    /// <exception cref="ArgumentException">Too few or many members, or their horizons or levels differ.</exception>
    public EnsembleForecaster(IReadOnlyList<IForecaster> members, EnsembleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is < 2 or > MaxMembers)
        {
            throw new ArgumentException($"an ensemble holds 2..{MaxMembers} members; got {members.Count}", nameof(members));
        }

        _members = [.. members];
        _levels = _members[0].Levels.ToArray();
        foreach (IForecaster m in _members)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(members));
            if (m.Horizon != _members[0].Horizon || !m.Levels.SequenceEqual(_levels))
            {
                throw new ArgumentException(
                    $"ensemble members must share horizon and levels: '{_members[0].Name}' forecasts {_members[0].Horizon} steps at [{QuantileGrid.Describe(_levels)}], '{m.Name}' {m.Horizon} at [{QuantileGrid.Describe(m.Levels)}]",
                    nameof(members));
            }
        }

        Options = options ?? new EnsembleOptions();
        Options.Validate();
        _rate = Options.Rate;
        _maxEffectivePoints = EnsembleWeights.MaxEffectivePoints(Options);
    }

    /// <summary>
    /// The default members, anchor first: <c>ewma</c>, then the learned models that step 1,000
    /// applications in about a millisecond without allocating (<c>mlp</c>, <c>lstm</c>). <c>gbm</c>
    /// is left out although it wins on some data: it predicts one application at a time, about 48 ms
    /// per tick for 1,000 applications (README, <c>EnsembleStepBenchmark</c>); <c>last-value</c> is
    /// left out because <c>ewma</c> is exact wherever persistence is (a flat series).
    /// </summary>
    public static IReadOnlyList<string> DefaultMembers { get; } =
        [EwmaQuantileForecaster.PolicyName, MlpQuantileForecaster.PolicyName, LstmQuantileForecaster.PolicyName];

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon => _members[0].Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>The weighting settings.</summary>
    public EnsembleOptions Options { get; }

    /// <summary>The members' policy names, anchor first.</summary>
    public IReadOnlyList<string> MemberNames => [.. _members.Select(m => m.Name)];

    /// <summary>An ensemble of <paramref name="members"/> (default <see cref="DefaultMembers"/>), each built by <paramref name="catalog"/> for <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">A member name is unknown to the catalog or does not suit the spec.</exception>
    public static EnsembleForecaster Create(IForecasterCatalog catalog, ForecasterSpec spec, IReadOnlyList<string>? members = null, EnsembleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(spec);
        return new EnsembleForecaster([.. (members ?? DefaultMembers).Select(name => catalog.Create(name, spec))], options);
    }

    /// <summary>Fits every member on <paramref name="training"/> with <paramref name="seed"/>; clears every application's weights.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        foreach (IForecaster m in _members)
        {
            m.Fit(training, seed);
        }

        _states.Clear();
    }

    /// <summary>Writes the settings and each member in its own envelope (not the applications' weights, which are streaming state).</summary>
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
        w.Write(Options.Margin);
        w.Write(Options.Temperature);
        w.Write(Options.Confidence);
        w.Write(Options.HalfLife);
        w.Write(Options.MinPoints);
        w.Write(_members.Length);
        using var member = new MemoryStream();
        foreach (IForecaster m in _members)
        {
            member.SetLength(0);
            m.Save(member);
            w.Write(member.Length);
            w.Write(member.GetBuffer(), 0, (int)member.Length);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header; <paramref name="loadMember"/> reads each member's envelope.</summary>
    /// <exception cref="ForecasterFormatException">A count or length out of range, or members that no longer match the saved horizon and levels.</exception>
    public static EnsembleForecaster Load(BinaryReader reader, string policy, ushort payloadVersion, Func<Stream, IForecaster> loadMember)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(loadMember);
        ForecasterFile.RequireVersion(policy, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, policy);
        var options = new EnsembleOptions { Margin = reader.ReadDouble(), Temperature = reader.ReadDouble(), Confidence = reader.ReadDouble(), HalfLife = reader.ReadDouble(), MinPoints = reader.ReadInt32() };
        int count = reader.ReadInt32();
        if (count is < 2 or > MaxMembers)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {count} members, expected 2..{MaxMembers}");
        }

        var members = new IForecaster[count];
        for (int i = 0; i < count; i++)
        {
            long length = reader.ReadInt64();
            if (length is < 0 or > int.MaxValue)
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster: member {i} of {length} bytes");
            }

            members[i] = loadMember(new MemoryStream(reader.ReadBytes((int)length)));
        }

        var loaded = new EnsembleForecaster(members, options);
        if (loaded.Horizon != horizon || !loaded.Levels.SequenceEqual(levels))
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster forecasts {horizon} steps at [{QuantileGrid.Describe(levels)}], its members {loaded.Horizon} at [{QuantileGrid.Describe(loaded.Levels)}]");
        }

        return loaded;
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) => Observe(app, step, demand, default);

    /// <inheritdoc />
    /// <remarks>Activity goes to the members that learn from it; the weights use demand only.</remarks>
    public void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        EnsembleAppState state = State(app);
        foreach (IForecaster m in _members)
        {
            m.Feed(app, step, demand, activity);
        }

        state.Score(step, demand, _levels, _rate);
        for (int m = 0; m < _members.Length; m++)
        {
            _members[m].PredictInto(app, state.Latest(m));
        }

        state.Remember(step);
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        EnsembleAppState state = _states.Get(app);
        double[] values = new double[Horizon * _levels.Length * Resources.Count];
        state.Combine(values, Options, _maxEffectivePoints);
        return new Forecast(app, state.LastStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void PredictInto(AppId app, Span<double> destination) => _states.Get(app).Combine(destination, Options, _maxEffectivePoints);

    /// <summary>
    /// Steps every member over the whole batch (members that advance many applications in one pass
    /// keep doing so), each member's forecasts copied out of the batch's slots before the next member
    /// writes them; then scores, remembers and writes the combination into the slots. Allocates
    /// nothing once every application in the batch has its state.
    /// </summary>
    public void Step(ForecastBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_slots.Length < batch.Count)
        {
            Array.Resize(ref _slots, Math.Max(batch.Count, 2 * _slots.Length));
        }

        for (int i = 0; i < batch.Count; i++)
        {
            _slots[i] = State(batch.App(i));
        }

        for (int m = 0; m < _members.Length; m++)
        {
            _members[m].Step(batch);
            for (int i = 0; i < batch.Count; i++)
            {
                batch.Output(i).CopyTo(_slots[i].Latest(m));
            }
        }

        for (int i = 0; i < batch.Count; i++)
        {
            EnsembleAppState state = _slots[i];
            state.Score(batch.Step, batch.Demand(i), _levels, _rate);
            state.Remember(batch.Step);
            state.Combine(batch.Output(i), Options, _maxEffectivePoints);
        }

        // Holds no state past the tick: an application forgotten later must not stay reachable here.
        Array.Clear(_slots, 0, batch.Count);
    }

    /// <inheritdoc />
    public void Forget(AppId app)
    {
        foreach (IForecaster m in _members)
        {
            m.Forget(app);
        }

        _states.Remove(app);
    }

    /// <summary>
    /// The weight member <paramref name="member"/> (0 = the anchor) has in <paramref name="app"/>'s
    /// forecast of <paramref name="resource"/> at horizon step <paramref name="h"/> (0-based), in [0, 1].
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    public double Weight(AppId app, int member, int h, Resource resource)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, _members.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(h);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(h, Horizon);
        Span<double> scratch = stackalloc double[2 * _members.Length];
        Span<double> weights = stackalloc double[_members.Length];
        _states.Get(app).Weigh(h, (int)resource, Options, _maxEffectivePoints, scratch, weights);
        return weights[member];
    }

    private EnsembleAppState State(AppId app) =>
        _states.GetOrAdd(app, this, static e => new EnsembleAppState(e._members.Length, e.Horizon, e._levels.Length));
}

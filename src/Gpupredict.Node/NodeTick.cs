using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpupredict.Node;

/// <summary>
/// One step of the node's control loop, the same code for the replay and the daemon: read what the
/// source saw in the step -> admit arrivals under policy -> track demand against the last forecast
/// -> forecast every running application in one batch -> plan the next step from the tick's own
/// view of the node -> hand grants to the backend and slow actions to the slow path, in the order that
/// frees memory before it is needed -> tell the observers. The replay and the daemon differ only in
/// the source, the clock that calls <see cref="Run"/> and the backend.
/// Not thread-safe: one loop drives it.
/// </summary>
public sealed partial class NodeTick
{
    private readonly NodeSpec _node;
    private readonly IDemandSource _source;
    private readonly IAdmission _admission;
    private readonly IForecaster _forecaster;
    private IPlanner _planner;
    private readonly IEnforcementBackend _backend;
    private readonly ISlowPath _slowPath;
    private readonly ITickObserver[] _observers;
    private readonly ILogger _logger;
    private readonly DemandTracker _tracker;
    private readonly ForecastBatch _batch;
    private readonly DemandFrame _frame = new();
    private readonly TickRecord _record = new();
    private readonly Dictionary<AppId, TrackedApp> _apps = [];
    private readonly Dictionary<AppId, GpuAllocation> _grants = [];
    private readonly Dictionary<AppId, int> _suspended = [];
    private readonly Dictionary<AppId, GpuAllocation> _awaitingMove = [];
    private readonly HashSet<AppId> _moving = [];
    private readonly Dictionary<AppId, bool> _moved = [];
    private readonly List<PlanRequest> _requests = [];
    private readonly List<SlowCompletion> _completions = [];
    private readonly List<(int Observation, TrackedApp App, int Slot)> _observed = [];
    private bool[] _grows = new bool[64];
    private long _lastStep = -1;

    /// <summary>Assembles the loop.</summary>
    /// <param name="node">The node's GPUs and step.</param>
    /// <param name="source">Where each step's demand comes from.</param>
    /// <param name="admission">Policy for arriving applications.</param>
    /// <param name="forecaster">A fresh forecaster; its levels must carry every role the planner reads.</param>
    /// <param name="planner">The planning policy.</param>
    /// <param name="backend">Where grants are enforced.</param>
    /// <param name="slowPath">Where slow-path actions run (it enforces them through its own backend).</param>
    /// <param name="observers">Who sees each tick, in order.</param>
    /// <param name="logger">Where the loop says what happened; none when null.</param>
    /// <exception cref="ArgumentException">The node is invalid, or the forecaster does not carry a level the planner reads (the message names it).</exception>
    public NodeTick(NodeSpec node, IDemandSource source, IAdmission admission, IForecaster forecaster, IPlanner planner, IEnforcementBackend backend, ISlowPath slowPath, IEnumerable<ITickObserver> observers, ILogger<NodeTick>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(slowPath);
        ArgumentNullException.ThrowIfNull(observers);
        if (node.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(node));
        }

        Grid = QuantileGrid.Of(forecaster.Levels, planner.Quantiles, $"forecaster '{forecaster.Name}'");
        _node = node;
        _source = source;
        _admission = admission;
        _forecaster = forecaster;
        _planner = planner;
        _backend = backend;
        _slowPath = slowPath;
        _observers = [.. observers];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _tracker = new DemandTracker(planner.Quantiles);
        _batch = new ForecastBatch(forecaster.Horizon, forecaster.Levels);
    }

    /// <summary>The quantile grid the loop runs on: the forecaster's levels, with the planner's roles found among them.</summary>
    public QuantileGrid Grid { get; }

    /// <summary>The node.</summary>
    public NodeSpec Node => _node;

    /// <summary>Applications admitted and not yet released.</summary>
    public int Applications => _apps.Count;

    /// <summary>Grants in force, as the tick knows them (what it last applied successfully, moved by completed migrations).</summary>
    public IReadOnlyDictionary<AppId, GpuAllocation> Grants => _grants;

    /// <summary>Suspended applications and the GPU each was suspended from.</summary>
    public IReadOnlyDictionary<AppId, int> Suspended => _suspended;

    /// <summary>The planning policy in force.</summary>
    public IPlanner Planner => _planner;

    /// <summary>
    /// Puts <paramref name="planner"/> in force from the next tick (a policy reload); call it between
    /// ticks, on the thread that runs them. It must read the same quantile levels as the planner it
    /// replaces: the forecaster and the demand tracker were built for those.
    /// </summary>
    /// <exception cref="ArgumentException">The planner reads other levels (the message says which; that change needs a restart).</exception>
    public void ReplacePlanner(IPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(planner);
        if (planner.Quantiles != _planner.Quantiles)
        {
            throw new ArgumentException($"the new planner reads the levels {planner.Quantiles}, the loop runs on {_planner.Quantiles}: a change of quantiles takes a restart", nameof(planner));
        }

        _planner = planner;
    }

    /// <summary>Runs the tick of <paramref name="step"/>: the demand of that step in, the plan for the next one out.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Steps must increase from tick to tick.</exception>
    public void Run(long step)
    {
        if (step <= _lastStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last tick ran step {_lastStep}");
        }

        _lastStep = step;
        _frame.Begin(step);
        _source.Read(step, _frame);
        _record.Begin(step, _frame);
        DrainSlowPath();
        Admit();
        Observe(step);
        if (_requests.Count > 0)
        {
            AllocationPlan plan = _planner.Plan(new NodeView(step + 1, _node.Gpus, _grants, _suspended), _requests);
            _record.SetPlan(_requests, plan);
            Enforce(plan, step + 1);
        }

        foreach (ITickObserver observer in _observers)
        {
            observer.OnTick(_record);
        }
    }

    private void Admit()
    {
        foreach (ref readonly AppArrival arrival in _frame.Arrivals)
        {
            if (_apps.ContainsKey(arrival.App))
            {
                LogDuplicateArrival(arrival.App, arrival.Name);
                continue;
            }

            AppTerms terms = _admission.Admit(arrival.App, arrival.Identity);
            _apps.Add(arrival.App, new TrackedApp(arrival.Name, terms, arrival.DeclaredPeak));
            _record.AddAdmitted(new AppAdmitted(arrival.App, arrival.Name, terms));
            LogAdmitted(arrival.App, arrival.Name, terms.Rule, terms.Priority.Class, terms.Priority.Weight);
        }
    }

    /// <summary>Tracks, forecasts (one batch) and builds the requests, in the order the source reported; releases who exits (slot −1 in <c>_observed</c>).</summary>
    private void Observe(long step)
    {
        _requests.Clear();
        _observed.Clear();
        _batch.Begin(step);
        ReadOnlySpan<AppObservation> observations = _frame.Observations;
        for (int i = 0; i < observations.Length; i++)
        {
            ref readonly AppObservation o = ref observations[i];
            if (!_apps.TryGetValue(o.App, out TrackedApp? app))
            {
                LogUnknownApplication(o.App);
                continue;
            }

            if (app.ObservedAt == step)
            {
                LogDuplicateObservation(o.App);
                continue;
            }

            app.ObservedAt = step;
            app.Peak = ResourceVector.Max(app.Peak, o.Demand);
            if (o.Exits)
            {
                // Its last step still teaches the forecaster; then everything it holds is reclaimed.
                _forecaster.Feed(o.App, step, o.Demand, _frame.Activity(i));
                _observed.Add((i, app, -1));
                continue;
            }

            _observed.Add((i, app, _batch.Add(o.App, o.Demand, _frame.Activity(i))));
            app.RequestedAt = step;
        }

        _forecaster.Step(_batch);
        foreach ((int i, TrackedApp app, int slot) in _observed)
        {
            ref readonly AppObservation o = ref observations[i];
            DemandTracking tracking = _tracker.Observe(o.App, o.Demand);
            if (slot < 0)
            {
                continue;
            }

            Forecast forecast = _batch.Forecast(slot);
            _tracker.Remember(forecast);
            _requests.Add(new PlanRequest(o.App, app.Terms.Priority, forecast, o.Demand, app.Peak, app.Terms.Constraints, tracking));
        }

        foreach ((int i, _, int slot) in _observed)
        {
            if (slot < 0)
            {
                Release(observations[i].App, "exit");
            }
        }

        foreach (AppId app in _frame.Departures)
        {
            Release(app, "gone");
        }
    }

    /// <summary>Reclaims everything <paramref name="app"/> holds at once and forgets it.</summary>
    private void Release(AppId app, string why)
    {
        if (!_apps.Remove(app, out TrackedApp? tracked))
        {
            return;
        }

        EnforcementResult result = _backend.Release(app, $"{_planner.Name}:exit:{app}");
        if (!result.Applied)
        {
            _record.AddError($"step {_record.Step}, {app}: release: {result.Error}");
            LogReleaseFailed(app, result.Error);
        }

        _forecaster.Forget(app);
        _tracker.Forget(app);
        _grants.Remove(app);
        _suspended.Remove(app);
        _awaitingMove.Remove(app);
        _record.AddReleased(app);
        LogReleased(app, tracked.Name, why);
    }
}

using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Daemon.Config;
using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Persistence;
using Gpupredict.Interop.Native;
using Gpupredict.Interop.Registration;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Gpupredict.Node;
using Microsoft.Extensions.Logging;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// The live node: the registration server feeding the <see cref="LiveDemandSource"/>, the one
/// <see cref="NodeTick"/> (the replay's loop) on a dedicated thread ticking every step on an absolute
/// CLOCK_MONOTONIC schedule, the interposer's control blocks as the 10 ms backend and the slow path on
/// its worker. <see cref="Start"/> returns once the socket listens and the first tick ran.
/// </summary>
public sealed partial class NodeDaemon : IAsyncDisposable
{
    private readonly DaemonConfig _config;
    private readonly ILogger _logger;
    private readonly PolicyAdmission _admission;
    private readonly PlannerCatalog _planners;
    private readonly LiveDemandSource _source;
    private readonly RegistrationServer _server;
    private readonly WorkerSlowPath _slowPath;
    private readonly InterposerControlBackend _interposer;
    private readonly NodeTick _tick;
    private readonly long _stepNs;
    private readonly long _originNs;
    private Thread? _thread;
    private volatile bool _stopping;
    private IPlanner? _pendingPlanner;
    private long _ticks;
    private long _goodTicks;
    private long _lastLateLogNs;

    /// <summary>Assembles the node from <paramref name="config"/> and <paramref name="policies"/> and compiles the tick's code on made-up applications (<see cref="Warmup"/>); nothing live runs until <see cref="Start"/>.</summary>
    /// <exception cref="ArgumentException">The forecaster is unknown or lacks a level the planner reads; the inventory is invalid.</exception>
    public NodeDaemon(DaemonConfig config, PolicySet policies, NodeSpec node, ForecasterCatalog forecasters, PlannerCatalog planners, ILoggerFactory loggers, bool writeSeal = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(forecasters);
        ArgumentNullException.ThrowIfNull(planners);
        ArgumentNullException.ThrowIfNull(loggers);
        _config = config;
        _logger = loggers.CreateLogger<NodeDaemon>();
        _planners = planners;
        _stepNs = node.StepNs;
        Node = node;
        Policies = policies;
        _admission = new PolicyAdmission(policies);
        IPlanner planner = NewPlanner(policies);
        IForecaster NewForecaster(bool log) => LoadModel(config.Model, planner.Quantiles, forecasters, log)
            ?? forecasters.Create(config.Forecaster, new ForecasterSpec(config.Horizon, QuantileGrid.For(planner.Quantiles).LevelList));
        IForecaster forecaster = NewForecaster(log: true);
        Forecaster = forecaster.Name;

        // Compile the tick's code before step 0 starts (see Warmup), so no live step pays for it.
        Warmup.Run(node, new PolicyAdmission(policies), NewForecaster(log: false), NewPlanner(policies));

        // Step 0 starts now; the control blocks' windows are on the same clock and the same steps.
        _originNs = MonotonicClock.NowNs();
        _source = new LiveDemandSource(_originNs, _stepNs, config.MaxEventsPerStep);
        _interposer = new InterposerControlBackend(_source, new MonotonicStepClock(0, _stepNs));
        IProcessRunner runner = SystemProcessRunner.Instance;
        var backend = new DaemonBackend(_interposer, new MpsBackend(runner, new MpsOptions()), new CudaCheckpointBackend(runner, new CudaCheckpointOptions()));
        _slowPath = new WorkerSlowPath(backend);
        Stats = new DaemonStats(planner.Quantiles.Upper);
        _tick = new NodeTick(node, _source, _admission, forecaster, planner, backend, _slowPath, [Stats], loggers.CreateLogger<NodeTick>());
        _server = new RegistrationServer(
            new RegistrationOptions(config.SocketPath, config.RingSlots, config.MaxApplications, config.MaxPerUser, WriteSeal: writeSeal),
            _source,
            loggers.CreateLogger<RegistrationServer>());
    }

    /// <summary>The forecaster in force (a trained model's name, or the configured one).</summary>
    public string Forecaster { get; }

    /// <summary>The node's GPUs and step.</summary>
    public NodeSpec Node { get; }

    /// <summary>The policy set in force.</summary>
    public PolicySet Policies { get; private set; }

    /// <summary>What the ticks did.</summary>
    public DaemonStats Stats { get; }

    /// <summary>The live source (ingestion counters, running applications).</summary>
    public LiveDemandSource Source => _source;

    /// <summary>The registration server (its counters).</summary>
    public RegistrationServer Server => _server;

    /// <summary>Ticks run.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Ticks that completed without an error: what the watchdog counts as progress.</summary>
    public long GoodTicks => Interlocked.Read(ref _goodTicks);

    /// <summary>How late each tick started after its step ended.</summary>
    public LatencyHistogram Lateness { get; } = new();

    /// <summary>How long each tick ran.</summary>
    public LatencyHistogram TickDuration { get; } = new();

    /// <summary>Allocations refused by quotas, all applications, since start (departed ones included).</summary>
    public long DeniedTotal => _source.DeniedTotal;

    /// <summary>Allocations served from pre-mapped memory, since start.</summary>
    public long PremappedTotal => _source.PremappedTotal;

    /// <summary>Applications the tick is managing.</summary>
    public int Applications => Volatile.Read(ref _applications);

    private int _applications;

    /// <summary>Listens, runs the first tick on this thread, then starts the tick thread.</summary>
    public void Start()
    {
        _server.Start();
        RunTick(0);
        _thread = new Thread(Loop) { IsBackground = true, Name = "gpupredictd-tick", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Puts a reloaded policy set in force from the next tick.</summary>
    /// <exception cref="ArgumentException">It changes the quantile levels the loop runs on (a restart is needed).</exception>
    public void Reload(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        IPlanner planner = NewPlanner(policies);
        if (planner.Quantiles != _tick.Planner.Quantiles)
        {
            throw new ArgumentException($"node.upper_quantile changes the levels the forecaster runs on ({_tick.Planner.Quantiles.Upper} -> {planner.Quantiles.Upper}): that takes a restart");
        }

        Volatile.Write(ref _pendingPlanner, planner);
        _admission.Replace(policies);
        Policies = policies;
    }

    /// <summary>
    /// Stops: no new registrations, the tick thread ends, every control block is set to pass-through,
    /// every connection is hung up (each interposer then passes its calls through and pools drain),
    /// and the slow path finishes what it runs. Bounded by the configuration's shutdown timeout.
    /// </summary>
    public async Task StopAsync()
    {
        // One deadline for every stage: the whole stop takes at most shutdown_timeout (plus the last writes).
        long deadline = Environment.TickCount64 + (long)_config.ShutdownTimeout.TotalMilliseconds;
        TimeSpan Left() => TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
        _server.StopAccepting();
        _stopping = true;
        _thread?.Join(Left());
        foreach (Interop.Control.ControlBlockWriter block in _source.ControlBlocks())
        {
            try
            {
                block.Write(Interop.Abi.ControlBlock.PassThrough((ulong)MonotonicClock.NowNs()));
            }
            catch (ObjectDisposedException)
            {
            }
        }

        _server.Stop(Left());
        using var cts = new CancellationTokenSource(Left());
        try
        {
            await _slowPath.DisposeAsync().AsTask().WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogSlowPathAbandoned();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopping)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _server.Dispose();
        _interposer.Dispose();
        _source.Dispose();
    }

    /// <summary>A fresh planner of the daemon's kind on <paramref name="policies"/>' node settings.</summary>
    private IPlanner NewPlanner(PolicySet policies) => _planners.Create("forecast", PolicyPlanning.Options(policies.Node, _stepNs));

    /// <summary>The trained model at <paramref name="path"/>, or null (said in the log) when there is none or it cannot serve the planner's levels.</summary>
    private IForecaster? LoadModel(string? path, QuantileRoles roles, ForecasterCatalog forecasters, bool log)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            IForecaster model = forecasters.Load(path);
            _ = QuantileGrid.Of(model.Levels, roles, $"model {path}");
            if (log)
            {
                LogModelLoaded(path, model.Name);
            }

            return model;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ForecasterFormatException or ArgumentException)
        {
            if (log)
            {
                // The event names the file already; a refused model's reason is said without it.
                LogModelFallback(path, e is ForecasterFormatException refused ? refused.Reason : e.Message);
            }

            return null;
        }
    }

    private void Loop()
    {
        long step = 1;
        while (!_stopping)
        {
            long due = _originNs + ((step + 1) * _stepNs);
            MonotonicClock.SleepUntil(due);
            if (_stopping)
            {
                break;
            }

            long late = MonotonicClock.NowNs() - due;
            Lateness.Record(late);
            if (late > _stepNs && due - _lastLateLogNs > 10_000_000_000L)
            {
                _lastLateLogNs = due; // at most one line per 10 s
                LogLate(step, late / 1e6);
            }

            RunTick(step);
            step++;
        }
    }

    private void RunTick(long step)
    {
        if (Interlocked.Exchange(ref _pendingPlanner, null) is { } planner)
        {
            _tick.ReplacePlanner(planner);
        }

        long start = MonotonicClock.NowNs();
        try
        {
            _tick.Run(step);
            Interlocked.Increment(ref _goodTicks);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Fail-safe: a tick that throws is logged and the next one runs; the grants in force stay.
            LogTickFailed(step, e);
        }

        long end = MonotonicClock.NowNs();
        TickDuration.Record(end - start);
        Volatile.Write(ref _applications, _tick.Applications);
        Interlocked.Increment(ref _ticks);
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "tick {Step} failed; the grants in force stay")]
    private partial void LogTickFailed(long step, Exception e);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "tick {Step} started {LateMs:0.0} ms late (at most one such line per 10 s)")]
    private partial void LogLate(long step, double lateMs);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "forecasting with the trained model {Path} ({Name})")]
    private partial void LogModelLoaded(string path, string name);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "cannot use the model {Path} ({Reason}); forecasting with the configured forecaster instead")]
    private partial void LogModelFallback(string path, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "slow-path actions still running at shutdown were abandoned")]
    private partial void LogSlowPathAbandoned();
}

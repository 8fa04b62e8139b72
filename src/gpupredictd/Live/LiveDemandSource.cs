using System.Collections.Concurrent;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Events;
using Gpupredict.Core.Pipeline;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.Registration;
using Gpupredict.Interop.Rings;
using Gpupredict.Telemetry.Aggregation;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// The live node's <see cref="IDemandSource"/>: applications that registered arrive, their rings are
/// drained every step into one <see cref="StreamingAggregator"/> each (the same per-step arithmetic
/// as a trace import), and a hung-up connection is the application's exit: its ring is drained a last
/// time and it is observed with <see cref="AppObservation.Exits"/>. Also the directory of control
/// blocks the interposer backend writes (<see cref="IControlBlocks"/>).
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Registered"/> and <see cref="Departed"/> come from the registration thread
/// and only enqueue; everything else runs on the tick thread. A departed registration is disposed one
/// step after its exit, once the backend has released it.</para>
/// <para>Bounded work: each ring gives at most <see cref="MaxEventsPerStep"/> events a step (the rest
/// wait in the ring, and a producer that outruns it sees a full ring and counts drops), so one
/// application flooding its ring delays nobody else's tick by more than that. Events are validated by
/// the ring reader (kind, flags, pid, times); an event outside the aggregator's open steps counts as
/// late or clipped, never as a failure.</para>
/// </remarks>
public sealed class LiveDemandSource : IDemandSource, IRegistrationSink, IControlBlocks, IDisposable
{
    /// <summary>How far past the current step an event may reach (its kernel or copy interval), in steps.</summary>
    public const int OpenSteps = 256;

    private readonly ConcurrentQueue<Registration> _arrivals = new();
    private readonly ConcurrentQueue<Registration> _departures = new();
    private readonly Dictionary<AppId, LiveApp> _apps = [];
    private readonly List<Registration> _retired = [];
    private readonly long _originNs;
    private readonly long _stepNs;
    private readonly GpuEvent[] _buffer;
    private readonly double[] _sm = new double[OpenSteps + 1];
    private readonly double[] _bandwidth = new double[OpenSteps + 1];
    private readonly double[] _vram = new double[OpenSteps + 1];
    private readonly double[] _activity = new double[(OpenSteps + 1) * ActivitySeries.Channels];
    private readonly ConcurrentDictionary<AppId, LiveApp> _view = new();
    private readonly ConcurrentQueue<LiveAppStats> _history = new();
    private readonly HashSet<AppId> _leaving = [];
    private long _events;
    private long _departedTotal;
    private long _denied;
    private long _premapped;
    private long _brokenRings;

    /// <summary>A source whose step 0 starts at <paramref name="originNs"/> (CLOCK_MONOTONIC).</summary>
    /// <param name="originNs">Start of step 0, ns.</param>
    /// <param name="stepNs">One step, ns.</param>
    /// <param name="maxEventsPerStep">Events taken from one ring per step at most.</param>
    public LiveDemandSource(long originNs, long stepNs, int maxEventsPerStep = 65536)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerStep);
        _originNs = originNs;
        _stepNs = stepNs;
        MaxEventsPerStep = maxEventsPerStep;
        _buffer = new GpuEvent[Math.Min(maxEventsPerStep, 8192)];
    }

    /// <inheritdoc />
    public string Name => "live";

    /// <summary>Events taken from one ring per step at most.</summary>
    public int MaxEventsPerStep { get; }

    /// <summary>Events ingested since start, all applications.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Allocations the interposers refused under a quota, since start.</summary>
    public long DeniedTotal => Interlocked.Read(ref _denied);

    /// <summary>Allocations served from pre-mapped memory, since start.</summary>
    public long PremappedTotal => Interlocked.Read(ref _premapped);

    /// <summary>Rings found truncated (possible only where the kernel refused the size seals) and no longer read.</summary>
    public long BrokenRings => Interlocked.Read(ref _brokenRings);

    /// <summary>Applications that exited since start.</summary>
    public long DepartedTotal => Interlocked.Read(ref _departedTotal);

    /// <summary>A snapshot of every running application's counters (any thread).</summary>
    public IReadOnlyList<LiveAppStats> Snapshot() => [.. _view.Values.Select(a => a.Stats())];

    /// <summary>The final counters of the last <see cref="DaemonStats.RememberedApplications"/> applications that exited (any thread).</summary>
    public IReadOnlyList<LiveAppStats> History() => [.. _history];

    /// <inheritdoc />
    public void Registered(Registration registration) => _arrivals.Enqueue(registration);

    /// <inheritdoc />
    public void Departed(Registration registration) => _departures.Enqueue(registration);

    /// <inheritdoc />
    public ControlBlockWriter? Find(AppId app) => _apps.TryGetValue(app, out LiveApp? a) ? a.Registration.Control : null;

    /// <summary>Every running application's control block (for shutdown: each is set to pass-through).</summary>
    public IEnumerable<ControlBlockWriter> ControlBlocks() => _apps.Values.Select(a => a.Registration.Control);

    /// <inheritdoc />
    public void Read(long step, DemandFrame frame)
    {
        foreach (Registration r in _retired)
        {
            r.Dispose();
        }

        _retired.Clear();
        while (_arrivals.TryDequeue(out Registration? r))
        {
            long startNs = _originNs + (step * _stepNs);
            var app = new LiveApp(r, step, new StreamingAggregator((ulong)Math.Max(0, startNs), OpenSteps, _stepNs));
            if (_apps.TryAdd(r.App, app))
            {
                _view[r.App] = app;
                frame.Arrive(new AppArrival(r.App, r.Peer.Identity, $"{r.Peer.Identity.ProcessName}[{r.Peer.Pid}]", ResourceVector.Zero, GpuHint: 0));
            }
            else
            {
                _retired.Add(r); // the same process twice: the server refuses it; never two states for one key
            }
        }

        HashSet<AppId> leaving = _leaving;
        leaving.Clear();
        while (_departures.TryDequeue(out Registration? r))
        {
            leaving.Add(r.App);
        }

        foreach (LiveApp app in _apps.Values)
        {
            bool exits = leaving.Contains(app.Registration.App);
            Observe(app, step, exits, frame);
        }

        foreach (AppId gone in leaving)
        {
            if (_apps.Remove(gone, out LiveApp? app))
            {
                _view.TryRemove(gone, out _);
                _history.Enqueue(app.Stats());
                while (_history.Count > DaemonStats.RememberedApplications && _history.TryDequeue(out _))
                {
                }

                _retired.Add(app.Registration);
                Interlocked.Increment(ref _departedTotal);
            }
        }
    }

    /// <summary>Disposes every registration still held.</summary>
    public void Dispose()
    {
        foreach (LiveApp app in _apps.Values)
        {
            app.Registration.Dispose();
        }

        foreach (Registration r in _retired)
        {
            r.Dispose();
        }

        _apps.Clear();
        _retired.Clear();
        while (_arrivals.TryDequeue(out Registration? r))
        {
            r.Dispose();
        }
    }

    private void Observe(LiveApp app, long step, bool exits, DemandFrame frame)
    {
        int taken = 0;
        while (taken < MaxEventsPerStep && !app.RingBroken)
        {
            int n;
            try
            {
                n = app.Registration.Ring.Drain(_buffer.AsSpan(0, Math.Min(_buffer.Length, MaxEventsPerStep - taken)));
            }
            catch (EventRingFormatException)
            {
                // Only on a kernel that refused the size seals: the application truncated its own ring.
                // Its ring is not read again (its demand stays as last seen); every other application goes on.
                app.RingBroken = true;
                Interlocked.Increment(ref _brokenRings);
                break;
            }

            if (n == 0)
            {
                break;
            }

            for (int i = 0; i < n; i++)
            {
                ref readonly GpuEvent e = ref _buffer[i];
                if ((e.Flags & (GpuEventFlags.Denied | GpuEventFlags.Premapped)) != 0)
                {
                    Interlocked.Add(ref (e.Flags & GpuEventFlags.Denied) != 0 ? ref _denied : ref _premapped, 1);
                }

                app.Count(e);
                app.Aggregator.Push(e);
            }

            taken += n;
        }

        if (taken == MaxEventsPerStep)
        {
            app.BudgetHits++;
        }

        Interlocked.Add(ref _events, taken);
        long local = step - app.FirstStep;
        int closed = app.Aggregator.Close(local + 1, _sm, _bandwidth, _vram, _activity);
        int last = Math.Max(0, closed - 1);
        var demand = closed == 0 ? ResourceVector.Zero : new ResourceVector(_sm[last], _bandwidth[last], _vram[last]);
        app.LastDemand = demand;
        var outcome = new StepOutcome(Granted: false, 0, (ulong)demand.VramBytes, 1, app.DeniedThisStep > 0, false, 0, 0, 0, 0, false);
        app.DeniedThisStep = 0;
        frame.Observe(new AppObservation(app.Registration.App, demand, outcome, exits), closed == 0 ? [] : _activity.AsSpan(last * ActivitySeries.Channels, ActivitySeries.Channels));
    }

    private sealed class LiveApp(Registration registration, long firstStep, StreamingAggregator aggregator)
    {
        public Registration Registration { get; } = registration;

        public long FirstStep { get; } = firstStep;

        public StreamingAggregator Aggregator { get; } = aggregator;

        public long Events { get; private set; }

        public long Denied { get; private set; }

        public long Premapped { get; private set; }

        public int DeniedThisStep { get; set; }

        public long BudgetHits { get; set; }

        public bool RingBroken { get; set; }

        public ResourceVector LastDemand { get; set; }

        public void Count(in GpuEvent e)
        {
            Events++;
            if ((e.Flags & GpuEventFlags.Denied) != 0)
            {
                Denied++;
                DeniedThisStep++;
            }

            if ((e.Flags & GpuEventFlags.Premapped) != 0)
            {
                Premapped++;
            }
        }

        public LiveAppStats Stats() => new(
            Registration.App,
            Registration.Peer.Identity.ProcessName,
            Registration.Peer.Uid,
            Events,
            Denied,
            Premapped,
            Registration.Ring.Malformed,
            (long)Registration.Ring.Dropped,
            BudgetHits,
            Registration.Ring.Backlog,
            Aggregator.LateEvents,
            Aggregator.ClippedEvents,
            LastDemand);
    }
}

/// <summary>One running application's ingestion counters.</summary>
/// <param name="App">Its key.</param>
/// <param name="Process">Its process name.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Events">Events ingested from its ring.</param>
/// <param name="Denied">Allocations the interposer refused under its quota.</param>
/// <param name="Premapped">Allocations served from pre-mapped memory.</param>
/// <param name="Malformed">Ring slots that failed validation.</param>
/// <param name="Dropped">Events its producer says it lost to a full ring (its own word).</param>
/// <param name="BudgetHits">Steps in which it reached the per-step event budget (more may have been waiting in its ring).</param>
/// <param name="Backlog">Events waiting in its ring when the snapshot was taken (the ingestion lag, in events).</param>
/// <param name="Late">Events that arrived after their step closed.</param>
/// <param name="Clipped">Events (or parts) beyond the open steps.</param>
/// <param name="LastDemand">What it used in the last step.</param>
public sealed record LiveAppStats(AppId App, string Process, uint Uid, long Events, long Denied, long Premapped, long Malformed, long Dropped, long BudgetHits, long Backlog, long Late, long Clipped, ResourceVector LastDemand);

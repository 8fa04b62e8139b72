using System.Collections.Concurrent;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Daemon.Live;
using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;
using Gpupredict.Forecasting;
using Gpupredict.Interop.Native;
using Gpupredict.Interop.Nvml;
using Gpupredict.Interop.Registration;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Gpupredict.Node;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// The live node as <see cref="NodeDaemon"/>'s constructor assembles it (live source, built-in
/// policies, forecaster <c>ewma</c> at horizon 10, planner <c>forecast</c>, the interposer backend on
/// the registrations' control blocks, the slow path on its worker), on 4 x H100 80GB declared,
/// with two probes the daemon lacks: the registration sink and the grant backend are wrapped to
/// stamp each hang-up's <see cref="Registration.DepartedNs"/> and the moment its release returned.
/// Ticks are run by the caller (<see cref="Tick"/>), so their durations can be taken after a warm-up.
/// </summary>
internal sealed class LiveNode : IAsyncDisposable
{
    private readonly LiveDemandSource _source;
    private readonly InterposerControlBackend _interposer;
    private readonly WorkerSlowPath _slowPath;
    private readonly NodeTick _tick;

    public LiveNode(string socketPath, uint ringSlots = 65536)
    {
        NodeSpec node = new(GpuInventoryCapacity.ToCapacities(DeclaredGpuInventory.Parse("4 x H100 80GB"), 3.35e12), StepNs);
        IPlanner planner = Planners.Catalog.Create("forecast", PolicyPlanning.Options(PolicySet.BuiltIn.Node, StepNs));
        IForecaster forecaster = Forecasters.Catalog.Create("ewma", new ForecasterSpec(10, QuantileGrid.For(planner.Quantiles).LevelList));
        OriginNs = MonotonicClock.NowNs();
        _source = new LiveDemandSource(OriginNs, StepNs);
        _interposer = new InterposerControlBackend(_source, new MonotonicStepClock(0, StepNs));
        IProcessRunner runner = SystemProcessRunner.Instance;
        var backend = new DaemonBackend(new ReleaseProbe(_interposer, Released), new MpsBackend(runner, new MpsOptions()), new CudaCheckpointBackend(runner, new CudaCheckpointOptions()));
        _slowPath = new WorkerSlowPath(backend);
        _tick = new NodeTick(node, _source, new PolicyAdmission(PolicySet.BuiltIn), forecaster, planner, backend, _slowPath, [new DaemonStats()]);
        Server = new RegistrationServer(new RegistrationOptions(socketPath, ringSlots), new DepartureProbe(_source, Departed));
    }

    public const long StepNs = 10_000_000;

    public long OriginNs { get; }

    public RegistrationServer Server { get; }

    public LiveDemandSource Source => _source;

    public int Applications => _tick.Applications;

    /// <summary>Hang-ups seen by the registration thread: app -> DepartedNs (CLOCK_MONOTONIC).</summary>
    public ConcurrentDictionary<AppId, long> Departed { get; } = new();

    /// <summary>Releases returned by the backend on the tick thread: app -> CLOCK_MONOTONIC ns.</summary>
    public ConcurrentDictionary<AppId, long> Released { get; } = new();

    public void Tick(long step) => _tick.Run(step);

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await _slowPath.DisposeAsync().ConfigureAwait(false);
        _interposer.Dispose();
        _source.Dispose();
    }

    private sealed class DepartureProbe(IRegistrationSink inner, ConcurrentDictionary<AppId, long> departed) : IRegistrationSink
    {
        public void Registered(Registration registration) => inner.Registered(registration);

        public void Departed(Registration registration)
        {
            departed[registration.App] = registration.DepartedNs;
            inner.Departed(registration);
        }
    }

    private sealed class ReleaseProbe(IEnforcementBackend inner, ConcurrentDictionary<AppId, long> released) : IEnforcementBackend
    {
        public string Name => inner.Name;

        public EnforcementResult Apply(GpuAllocation allocation, string requestId) => inner.Apply(allocation, requestId);

        public EnforcementResult Release(AppId app, string requestId)
        {
            EnforcementResult result = inner.Release(app, requestId);
            released[app] = MonotonicClock.NowNs();
            return result;
        }

        public EnforcementResult Execute(SlowAction action, string requestId) => inner.Execute(action, requestId);
    }
}

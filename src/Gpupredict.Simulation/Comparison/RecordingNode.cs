using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// A decorator of a simulated node that passes every call through and sums, per step and per GPU,
/// what the applications were allocated and used (<see cref="Timeline"/>), so that node-level
/// figures need no change to the replay. It knows the steps from the applications' timelines: the
/// replay plays every running application once per step, so the n-th <see cref="Step"/> call
/// belongs to a known step; a call that does not fit is an error, not a silent mis-count.
/// The GPU of each application is tracked from the grants, migrations and restores applied.
/// </summary>
public sealed class RecordingNode : ISimulatedNode
{
    private readonly ISimulatedNode _inner;
    private readonly Dictionary<AppId, (long Start, long End)> _lives = [];
    private readonly Dictionary<AppId, int> _gpuOf = [];
    private readonly int[] _active;
    private long _step;
    private int _calls;

    /// <summary>Wraps <paramref name="inner"/> for a replay of <paramref name="apps"/>.</summary>
    public RecordingNode(ISimulatedNode inner, IReadOnlyList<ReplayApp> apps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(apps);
        _inner = inner;
        long end = apps.Count == 0 ? 0 : apps.Max(a => a.EndStep);
        _active = new int[end];
        foreach (ReplayApp app in apps)
        {
            if (!_lives.TryAdd(app.Series.App, (app.StartStep, app.EndStep)))
            {
                throw new ArgumentException($"two applications share the identity {app.Series.App}", nameof(apps));
            }

            for (long s = app.StartStep; s < app.EndStep; s++)
            {
                _active[s]++;
            }
        }

        Timeline = new NodeTimeline(inner.Gpus, _active);
    }

    /// <summary>What was recorded so far.</summary>
    public NodeTimeline Timeline { get; }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public IReadOnlyList<GpuCapacity> Gpus => _inner.Gpus;

    /// <inheritdoc />
    public long StepNs => _inner.StepNs;

    /// <inheritdoc />
    public IReadOnlyDictionary<AppId, GpuAllocation> Grants => _inner.Grants;

    /// <inheritdoc />
    public IReadOnlyDictionary<AppId, int> Suspended => _inner.Suspended;

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId)
    {
        EnforcementResult result = _inner.Apply(allocation, requestId);
        if (result.Applied)
        {
            _gpuOf[allocation.App] = allocation.Gpu;
        }

        return result;
    }

    /// <inheritdoc />
    public EnforcementResult Release(AppId app, string requestId)
    {
        _gpuOf.Remove(app);
        return _inner.Release(app, requestId);
    }

    /// <inheritdoc />
    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        EnforcementResult result = _inner.Execute(action, requestId);
        if (result.Applied && action.Kind is SlowActionKind.Migrate or SlowActionKind.Restore)
        {
            _gpuOf[action.App] = action.TargetGpu;
        }

        return result;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The call does not fit the applications' timelines.</exception>
    public StepOutcome Step(AppId app, ResourceVector demand, int gpuIfNew = 0)
    {
        while (_step < _active.Length && _active[_step] == 0)
        {
            _step++;
        }

        if (_step >= _active.Length || !_lives.TryGetValue(app, out (long Start, long End) life) || _step < life.Start || _step >= life.End)
        {
            throw new InvalidOperationException($"{app} played at step {_step}, which its timeline does not cover: the replay must play each running application once per step");
        }

        StepOutcome o = _inner.Step(app, demand, gpuIfNew);
        if (!_gpuOf.TryGetValue(app, out int gpu))
        {
            gpu = gpuIfNew;
            _gpuOf[app] = gpu;
        }

        if (o.Granted)
        {
            Timeline.Add(_step, gpu, o.SmOccupied(demand.SmFraction), demand.SmFraction, o.VramOccupied(demand.VramBytes), demand.VramBytes);
        }
        else if (!o.Suspended)
        {
            // Pass-through: nothing reserved, so what it uses is what it takes.
            Timeline.Add(_step, gpu, demand.SmFraction, demand.SmFraction, demand.VramBytes, demand.VramBytes);
        }

        if (++_calls == _active[_step])
        {
            _step++;
            _calls = 0;
        }

        return o;
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// The replay's scoring, as an observer of the tick: per application, what each step cost
/// (<see cref="AppReport"/>). A step is under-allocated for an application when its demand exceeded
/// its quota or share, when its GPU could not back its memory, when its GPU's SM was oversubscribed
/// (the applications on it used more than the GPU has, each within its share), or when it had work
/// while suspended or while stopped by a migration or restore (the plan's pause estimate, in steps
/// of the node's clock, from the step whose plan issued the move).
/// </summary>
public sealed class ReplayAccounting : ITickObserver
{
    /// <summary>SM use above a GPU's capacity by less than this is rounding, not contention.</summary>
    private const double SmContentionTolerance = 1e-6;

    private readonly IReadOnlyList<ReplayApp> _apps;
    private readonly IReadOnlyList<GpuCapacity> _gpus;
    private readonly long _stepNs;
    private readonly Dictionary<AppId, AppAccumulator> _byApp = [];
    private readonly AppAccumulator[] _accumulators;
    private readonly double[] _smUsed;
    private readonly List<string> _errors = [];

    /// <summary>Scores a replay of <paramref name="apps"/> on a node of <paramref name="gpus"/> whose steps last <paramref name="stepNs"/>.</summary>
    public ReplayAccounting(IReadOnlyList<ReplayApp> apps, IReadOnlyList<GpuCapacity> gpus, long stepNs)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(gpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepNs, 1);
        _apps = apps;
        _gpus = gpus;
        _stepNs = stepNs;
        _accumulators = [.. apps.Select(a => new AppAccumulator(a.Name, a.Series.Observed))];
        for (int i = 0; i < apps.Count; i++)
        {
            _byApp.Add(apps[i].Series.App, _accumulators[i]);
        }

        _smUsed = new double[gpus.Count];
    }

    /// <summary>Grants and actions the backend refused, with reasons, in the order they happened.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <inheritdoc />
    public void OnTick(TickRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long step = record.Step;
        ReadOnlySpan<AppObservation> observations = record.Frame.Observations;
        SmInUse(observations);
        foreach (ref readonly AppObservation o in observations)
        {
            if (!_byApp.TryGetValue(o.App, out AppAccumulator? a))
            {
                continue;
            }

            StepOutcome outcome = o.Outcome;
            ResourceVector demand = o.Demand;
            bool contended = !outcome.Suspended && demand.SmFraction > 0 && _smUsed[outcome.Gpu] > _gpus[outcome.Gpu].Capacity.SmFraction + SmContentionTolerance;
            bool paused = step < a.PausedUntilStep && (demand.SmFraction > 0 || outcome.GrowthBytes > 0);
            a.Add(demand, outcome, contended, paused);
        }

        foreach (ref readonly GrantApplied grant in record.Grants)
        {
            if (grant.Result.Changed && _byApp.TryGetValue(grant.Allocation.App, out AppAccumulator? a))
            {
                a.GrantChanges++;
            }
        }

        foreach (ref readonly SlowCompletion done in record.Completions)
        {
            Count(done);
        }

        foreach (Shortfall shortfall in record.Plan?.Shortfalls ?? [])
        {
            if (_byApp.TryGetValue(shortfall.App, out AppAccumulator? a))
            {
                a.Shortfalls++;
            }
        }

        _errors.AddRange(record.Errors);
    }

    /// <summary>The replay's figures: per application in input order, and the node total averaged over <paramref name="steps"/>.</summary>
    public ReplayResult Result(string planner, string forecaster, long steps)
    {
        var total = new AppAccumulator("total", _apps.Aggregate(ObservedSignals.None, (s, a) => s | a.Series.Observed));
        foreach (AppAccumulator a in _accumulators)
        {
            total.AddAll(a);
        }

        return new ReplayResult(planner, forecaster, steps, _gpus, [.. _accumulators.Select(a => a.ToReport())], total.ToReport(meanSteps: steps), [.. _errors]);
    }

    /// <summary>A finished slow action: its pause, and the steps it stops the application for (a move's pause stalls the work it covers).</summary>
    private void Count(in SlowCompletion done)
    {
        SlowAction action = done.Action;
        if (!done.Result.Applied || !_byApp.TryGetValue(action.App, out AppAccumulator? a) || !done.Result.Changed)
        {
            return;
        }

        a.PauseNs += action.ExpectedPauseNs;
        if (action.Moves)
        {
            a.PausedUntilStep = Math.Max(a.PausedUntilStep, done.IssuedStep + (long)Math.Ceiling(action.ExpectedPauseNs / (double)_stepNs));
        }

        a.Migrations += action.Kind == SlowActionKind.Migrate ? 1 : 0;
        a.Suspends += action.Kind == SlowActionKind.Suspend ? 1 : 0;
        a.Restores += action.Kind == SlowActionKind.Restore ? 1 : 0;
    }

    /// <summary>
    /// Σ SM each GPU's running applications used in the step, each at most its share (a share is a
    /// cap the GPU enforces). Above the GPU's capacity the applications time-slice: all of those with
    /// work are slowed, whatever their shares — NVIDIA GPUs have no SM guarantee short of MIG (MPS
    /// percentages are limits).
    /// </summary>
    private void SmInUse(ReadOnlySpan<AppObservation> observations)
    {
        Array.Clear(_smUsed);
        foreach (ref readonly AppObservation o in observations)
        {
            if (!o.Outcome.Suspended)
            {
                _smUsed[o.Outcome.Gpu] += Math.Min(o.Demand.SmFraction, o.Outcome.SmShare);
            }
        }
    }
}

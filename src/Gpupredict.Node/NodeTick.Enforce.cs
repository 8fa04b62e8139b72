using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Node;

/// <summary>Carrying out a plan: the fast writes, the slow path, and the tick's own view of the node.</summary>
public sealed partial class NodeTick
{
    /// <summary>
    /// Carries out a plan in the order that frees memory before it is needed: suspends and MPS
    /// partitions; then the grants of applications that stay where they are and do not grow their
    /// pre-mapped pool (shrunken pools return memory); then migrations and restores, which need room on
    /// their target GPU; then the grants of the applications they moved and of those that grow. A
    /// moved application's grant waits for its move to finish (at once in a replay; on a live node
    /// possibly a later tick) and is dropped when the move fails.
    /// </summary>
    private void Enforce(AllocationPlan plan, long step)
    {
        _moving.Clear();
        _moved.Clear();
        foreach (SlowAction action in plan.Actions)
        {
            if (action.Moves)
            {
                _moving.Add(action.App);
            }
            else
            {
                Submit(action, step);
            }
        }

        DrainSlowPath();
        IReadOnlyList<GpuAllocation> allocations = plan.Allocations;
        if (_grows.Length < allocations.Count)
        {
            _grows = new bool[Math.Max(allocations.Count, _grows.Length * 2)];
        }

        for (int i = 0; i < allocations.Count; i++)
        {
            GpuAllocation a = allocations[i];
            _grows[i] = a.PremapTargetBytes > (_grants.TryGetValue(a.App, out GpuAllocation now) ? now.PremapTargetBytes : 0);
        }

        for (int i = 0; i < allocations.Count; i++)
        {
            if (!_moving.Contains(allocations[i].App) && !_grows[i])
            {
                Apply(allocations[i], step);
            }
        }

        foreach (SlowAction action in plan.Actions)
        {
            if (action.Moves)
            {
                Submit(action, step);
            }
        }

        DrainSlowPath();
        for (int i = 0; i < allocations.Count; i++)
        {
            GpuAllocation a = allocations[i];
            if (_moving.Contains(a.App))
            {
                if (!_moved.TryGetValue(a.App, out bool succeeded))
                {
                    _awaitingMove[a.App] = a; // applied when its move completes, at a later tick
                }
                else if (succeeded)
                {
                    Apply(a, step);
                }
            }
            else if (_grows[i])
            {
                Apply(a, step);
            }
        }
    }

    private void Submit(SlowAction action, long step)
    {
        if (!Requested(action.App))
        {
            Refuse(step, action.App, $"{action.Kind}: the plan acts on an application it was not asked about");
            _moved[action.App] = false;
            return;
        }

        _slowPath.Submit(action, step, $"{_planner.Name}:{step}:{action.Kind}:{action.App}");
    }

    private void Apply(GpuAllocation allocation, long step)
    {
        if (!Requested(allocation.App))
        {
            Refuse(step, allocation.App, "the plan grants an application it was not asked about");
            return;
        }

        Write(allocation, step);
    }

    /// <summary>Hands a grant to the backend and takes it into the tick's view when the backend applied it.</summary>
    private void Write(GpuAllocation allocation, long step)
    {
        EnforcementResult result = _backend.Apply(allocation, $"{_planner.Name}:{step}:{allocation.App}");
        _record.AddGrant(new GrantApplied(allocation, result));
        if (result.Applied)
        {
            _grants[allocation.App] = allocation;
        }
        else
        {
            Refuse(step, allocation.App, result.Error ?? "refused");
        }
    }

    /// <summary>Takes what the slow path finished into the tick's view of the node, and applies the grants that waited for a move.</summary>
    private void DrainSlowPath()
    {
        _completions.Clear();
        if (_slowPath.Drain(_completions) == 0)
        {
            return;
        }

        foreach (SlowCompletion done in _completions)
        {
            SlowAction action = done.Action;
            _record.AddCompletion(done);
            bool known = _apps.ContainsKey(action.App);
                        if (!done.Result.Applied)
            {
                Refuse(done.IssuedStep, action.App, $"{action.Kind}: {done.Result.Error}");
                LogSlowActionFailed(action.App, action.Kind, done.Result.Error);
            }
            else if (known && done.Result.Changed)
            {
                Take(action);
            }

            if (!action.Moves)
            {
                continue;
            }

            if (_awaitingMove.Remove(action.App, out GpuAllocation grant))
            {
                // A move of an earlier tick: its grant waited for it, and is dropped when it failed.
                if (done.Result.Applied && known)
                {
                    Write(grant, done.IssuedStep); // planned by an earlier tick: the application need not be requested now
                }
            }
            else
            {
                _moved[action.App] = done.Result.Applied;
            }
        }
    }

    /// <summary>What a completed, effective action changed about the node.</summary>
    private void Take(SlowAction action)
    {
        switch (action.Kind)
        {
            case SlowActionKind.Suspend:
                _grants.Remove(action.App);
                _suspended[action.App] = action.Gpu;
                break;
            case SlowActionKind.Restore:
                _suspended.Remove(action.App);
                break;
            case SlowActionKind.Migrate when _grants.TryGetValue(action.App, out GpuAllocation grant):
                _grants[action.App] = grant with { Gpu = action.TargetGpu };
                break;
            default:
                break;
        }
    }

    /// <summary>The application is in this tick's requests (admitted, observed, not exiting).</summary>
    private bool Requested(AppId app) => _apps.TryGetValue(app, out TrackedApp? t) && t.RequestedAt == _record.Step;

    private void Refuse(long step, AppId app, string what)
    {
        _record.AddError($"step {step}, {app}: {what}");
        LogEnforcementRefused(app, what);
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// Replays applications' demand through the pipeline on a simulated node, one 10 ms step at a time:
/// play the step against the grants in force -> observe it -> forecast -> plan the next step ->
/// enforce. The same path the daemon runs, with a recorded source and a simulated backend.
/// A step is under-allocated for an application when its demand exceeded its quota or share, when
/// its GPU could not back its memory, when its GPU's SM was oversubscribed (the applications on it
/// used more than the GPU has, each within its share), or when it had work while suspended or while
/// stopped by a migration or restore (the plan's pause estimate, in steps of the node's clock).
/// </summary>
public static class NodeReplay
{
    /// <summary>SM use above a GPU's capacity by less than this is rounding, not contention.</summary>
    private const double SmContentionTolerance = 1e-6;

    /// <summary>Runs the replay to the end of the last application.</summary>
    /// <param name="apps">The applications; their <see cref="AppId"/>s must be distinct.</param>
    /// <param name="forecaster">A fresh forecaster (its state is consumed).</param>
    /// <param name="planner">The planning policy.</param>
    /// <param name="node">A fresh simulated node.</param>
    /// <param name="progress">Called with (step, total steps) every 1000 steps; may be null.</param>
    /// <param name="cancellationToken">Stops the replay between steps.</param>
    public static ReplayResult Run(IReadOnlyList<ReplayApp> apps, IForecaster forecaster, IPlanner planner, ISimulatedNode node, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(node);
        CheckDistinct(apps);

        long end = apps.Count == 0 ? 0 : apps.Max(a => a.EndStep);
        var accumulators = apps.Select(a => new AppAccumulator(a.Name, a.Series.Observed)).ToArray();
        var peaks = apps.Select(a => a.Series.Peak()).ToArray();
        var current = new ResourceVector[apps.Count];
        var errors = new List<string>();
        var requests = new List<PlanRequest>(apps.Count);
        var requestIndex = new List<int>(apps.Count);
        var tracker = new DemandTracker();

        var played = new List<(int App, ResourceVector Demand, StepOutcome Outcome)>(apps.Count);
        var smUsed = new double[node.Gpus.Count];
        for (long step = 0; step < end; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            requests.Clear();
            requestIndex.Clear();

            // Play the step for everyone first: whether a GPU's SM was oversubscribed depends on all of its applications.
            played.Clear();
            double[]? claimed = null;
            for (int i = 0; i < apps.Count; i++)
            {
                ReplayApp app = apps[i];
                if (step >= app.StartStep && step < app.EndStep)
                {
                    ResourceVector demand = app.Series[(int)(step - app.StartStep)];
                    int gpuIfNew = 0;
                    if (step == app.StartStep)
                    {
                        // Arrivals of one step spread out: each one's memory counts for the next.
                        claimed ??= Claimed(node);
                        gpuIfNew = LeastClaimed(node, claimed);
                        claimed[gpuIfNew] += demand.VramBytes;
                    }

                    played.Add((i, demand, node.Step(app.Series.App, demand, gpuIfNew)));
                }
            }

            SmInUse(played, smUsed);
            foreach ((int i, ResourceVector demand, StepOutcome outcome) in played)
            {
                ReplayApp app = apps[i];
                AppId id = app.Series.App;
                bool contended = !outcome.Suspended && demand.SmFraction > 0 && smUsed[outcome.Gpu] > node.Gpus[outcome.Gpu].Capacity.SmFraction + SmContentionTolerance;
                bool paused = step < accumulators[i].PausedUntilStep && (demand.SmFraction > 0 || outcome.GrowthBytes > 0);
                accumulators[i].Add(demand, outcome, contended, paused);
                forecaster.ObserveStep(id, step, app.Series, (int)(step - app.StartStep));
                DemandTracking tracking = tracker.Observe(id, demand);
                current[i] = demand;
                if (step + 1 == app.EndStep)
                {
                    // Exit: reclaim everything at once, as the daemon does on the exit tracepoint.
                    node.Release(id, $"{planner.Name}:exit:{id}");
                    forecaster.Forget(id);
                    tracker.Forget(id);
                    continue;
                }

                Forecast forecast = forecaster.Predict(id);
                tracker.Remember(forecast);
                requests.Add(new PlanRequest(id, app.Priority, forecast, demand, peaks[i], app.Constraints, tracking));
                requestIndex.Add(i);
            }

            if (requests.Count > 0)
            {
                Enforce(planner.Plan(new NodeView(step + 1, node.Gpus, node.Grants, node.Suspended), requests), node, planner.Name, step + 1, accumulators, requests, requestIndex, errors);
            }

            if (progress is not null && step % 1000 == 999)
            {
                progress(step + 1, end);
            }
        }

        var total = new AppAccumulator("total", apps.Aggregate(ObservedSignals.None, (s, a) => s | a.Series.Observed));
        foreach (AppAccumulator a in accumulators)
        {
            total.AddAll(a);
        }

        return new ReplayResult(planner.Name, forecaster.Name, end, node.Gpus, accumulators.Select(a => a.ToReport()).ToArray(), total.ToReport(meanSteps: end), errors);
    }

    /// <summary>
    /// Carries out a plan in the order that frees memory before it is needed: suspends and MPS
    /// partitions; then the grants of applications that stay where they are (shrunken pre-map pools
    /// return memory); then migrations and restores, which need room on their target GPU; then the
    /// grants of the applications they moved.
    /// </summary>
    private static void Enforce(AllocationPlan plan, ISimulatedNode node, string planner, long step, AppAccumulator[] accumulators, List<PlanRequest> requests, List<int> requestIndex, List<string> errors)
    {
        var moving = new HashSet<AppId>();
        foreach (SlowAction action in plan.Actions)
        {
            if (action.Kind is SlowActionKind.Migrate or SlowActionKind.Restore)
            {
                moving.Add(action.App);
            }
            else
            {
                Execute(action);
            }
        }

        IReadOnlyDictionary<AppId, GpuAllocation> before = node.Grants;
        bool Grows(GpuAllocation a) => a.PremapTargetBytes > (before.TryGetValue(a.App, out GpuAllocation now) ? now.PremapTargetBytes : 0);
        foreach (GpuAllocation allocation in plan.Allocations.Where(a => !moving.Contains(a.App) && !Grows(a)))
        {
            Apply(allocation);
        }

        foreach (SlowAction action in plan.Actions.Where(a => moving.Contains(a.App) && a.Kind is SlowActionKind.Migrate or SlowActionKind.Restore))
        {
            Execute(action);
        }

        foreach (GpuAllocation allocation in plan.Allocations.Where(a => moving.Contains(a.App) || Grows(a)))
        {
            Apply(allocation);
        }

        foreach (Shortfall shortfall in plan.Shortfalls)
        {
            accumulators[requestIndex[requests.FindIndex(r => r.App == shortfall.App)]].Shortfalls++;
        }

        void Execute(SlowAction action)
        {
            EnforcementResult result = node.Execute(action, $"{planner}:{step}:{action.Kind}:{action.App}");
            int at = requests.FindIndex(r => r.App == action.App);
            if (!result.Applied || at < 0)
            {
                errors.Add($"step {step}, {action.App}: {action.Kind}: {result.Error ?? "the plan acts on an application it was not asked about"}");
                return;
            }

            AppAccumulator a = accumulators[requestIndex[at]];
            a.PauseNs += result.Changed ? action.ExpectedPauseNs : 0;
            if (result.Changed && action.Kind is SlowActionKind.Migrate or SlowActionKind.Restore)
            {
                // The application is stopped while its state moves: the steps the pause covers, from
                // the next one on, stall whatever work it has in them (a suspend stops an idle one).
                a.PausedUntilStep = Math.Max(a.PausedUntilStep, step + (long)Math.Ceiling(action.ExpectedPauseNs / (double)node.StepNs));
            }

            a.Migrations += result.Changed && action.Kind == SlowActionKind.Migrate ? 1 : 0;
            a.Suspends += result.Changed && action.Kind == SlowActionKind.Suspend ? 1 : 0;
            a.Restores += result.Changed && action.Kind == SlowActionKind.Restore ? 1 : 0;
        }

        void Apply(GpuAllocation allocation)
        {
            EnforcementResult result = node.Apply(allocation, $"{planner}:{step}:{allocation.App}");
            int i = requestIndex[requests.FindIndex(r => r.App == allocation.App)];
            if (result.Changed)
            {
                accumulators[i].GrantChanges++;
            }

            if (!result.Applied)
            {
                errors.Add($"step {step}, {allocation.App}: {result.Error}");
            }
        }
    }

    /// <summary>
    /// Σ SM each GPU's running applications used in the step, each at most its share (a share is a
    /// cap the GPU enforces). Above the GPU's capacity the applications time-slice: all of those with
    /// work are slowed, whatever their shares — NVIDIA GPUs have no SM guarantee short of MIG (MPS
    /// percentages are limits).
    /// </summary>
    private static void SmInUse(List<(int App, ResourceVector Demand, StepOutcome Outcome)> played, double[] smUsed)
    {
        Array.Clear(smUsed);
        foreach ((_, ResourceVector demand, StepOutcome o) in played)
        {
            if (!o.Suspended)
            {
                smUsed[o.Gpu] += Math.Min(demand.SmFraction, o.SmShare);
            }
        }
    }

    /// <summary>Bytes each GPU's reservations claim (a work-conserving quota also reaches into what nobody reserves, so quotas would overlap).</summary>
    private static double[] Claimed(ISimulatedNode node)
    {
        var claimed = new double[node.Gpus.Count];
        foreach (GpuAllocation grant in node.Grants.Values)
        {
            claimed[grant.Gpu] += grant.VramReservation;
        }

        return claimed;
    }

    /// <summary>Where a new application starts before its first grant: the GPU with the most memory nothing claims.</summary>
    private static int LeastClaimed(ISimulatedNode node, double[] claimed)
    {
        int best = 0;
        for (int g = 1; g < node.Gpus.Count; g++)
        {
            if (node.Gpus[g].Capacity.VramBytes - claimed[g] > node.Gpus[best].Capacity.VramBytes - claimed[best])
            {
                best = g;
            }
        }

        return best;
    }

    private static void CheckDistinct(IReadOnlyList<ReplayApp> apps)
    {
        var seen = new HashSet<AppId>();
        foreach (ReplayApp app in apps)
        {
            if (!seen.Add(app.Series.App))
            {
                throw new ArgumentException($"two applications share the identity {app.Series.App} ('{app.Series.Name}')", nameof(apps));
            }
        }
    }
}

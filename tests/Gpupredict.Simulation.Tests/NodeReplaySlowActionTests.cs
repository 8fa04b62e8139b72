using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Tests;

public class NodeReplaySlowActionTests
{
    private const double MiB = 1 << 20;
    private const long SuspendPauseNs = 7_000;
    private const long RestorePauseNs = 11_000;
    private const long MigratePauseNs = 13_000;

    /// <summary>Constant demand: SM 0.5, 10 MiB, for <paramref name="steps"/> steps.</summary>
    private static DemandSeries Steady(int pid, int steps) =>
        new(new AppId(pid, 1), $"steady-{pid}", 0, Enumerable.Repeat(0.5, steps).ToArray(), Enumerable.Repeat(1e9, steps).ToArray(),
            Enumerable.Repeat(10 * MiB, steps).ToArray(), ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations);

    private static ReplayResult Run(IPlanner planner, int gpus, params DemandSeries[] series) => Run(planner, gpus, new SimulatedCosts(), series);

    private static ReplayResult Run(IPlanner planner, int gpus, SimulatedCosts costs, params DemandSeries[] series) =>
        NodeReplay.Run(
            series.Select(s => new ReplayApp(s, Priority.Default)).ToArray(),
            new EwmaQuantileForecaster(10, [0.1, 0.5, 0.9, 0.99]),
            planner,
            new SimulatedGpuNode([.. Enumerable.Range(0, gpus).Select(g => SimulatedGpuSpec.WithMemory(g, 1))], costs));

    [Fact]
    public void Run_SuspendAtKRestoreAtM_CountsActionsPauseAndStalls()
    {
        // Suspended by the plan for step 5, restored by the plan for step 9: steps 5..8 run suspended,
        // and step 9 is inside the restore's pause (11 µs of a 10 ms step, counted as the whole step).
        ReplayResult r = Run(new SuspendRestorePlanner(suspendAt: 5, restoreAt: 9), 1, Steady(1, 20));

        AppReport app = r.Apps[0];
        Assert.Empty(r.EnforcementErrors);
        Assert.Equal(1, app.Suspends);
        Assert.Equal(1, app.Restores);
        Assert.Equal(0, app.Migrations);
        Assert.Equal(SuspendPauseNs + RestorePauseNs, app.PauseNs);
        Assert.Equal(4, app.SuspendedStallSteps);
        Assert.Equal(1, app.PausedStallSteps);
        Assert.Equal(5, app.UnderAllocatedSteps);
        Assert.Equal(4, app.SmOverShareSteps);
        Assert.Equal(1, r.Total.Suspends);
        Assert.Equal(4, r.Total.SuspendedStallSteps);
    }

    [Fact]
    public void Run_SuspendedWithoutSmDemand_NoStallSteps()
    {
        DemandSeries idle = new(new AppId(2, 1), "idle", 0, new double[20], new double[20], Enumerable.Repeat(10 * MiB, 20).ToArray(), ObservedSignals.VramFromAllocations);

        ReplayResult r = Run(new SuspendRestorePlanner(suspendAt: 5, restoreAt: 9), 1, idle);

        Assert.Equal(1, r.Apps[0].Suspends);
        Assert.Equal(0, r.Apps[0].SuspendedStallSteps);
        Assert.Equal(0, r.Apps[0].UnderAllocatedSteps);
    }

    [Fact]
    public void Run_RepeatedSuspend_CountedOnce()
    {
        // The planner asks to suspend at every step from 5 until the restore: only the first changes anything.
        ReplayResult r = Run(new SuspendRestorePlanner(suspendAt: 5, restoreAt: 9, repeatSuspend: true), 1, Steady(1, 20));

        Assert.Equal(1, r.Apps[0].Suspends);
        Assert.Equal(SuspendPauseNs + RestorePauseNs, r.Apps[0].PauseNs);
        Assert.Empty(r.EnforcementErrors);
    }

    [Fact]
    public void Run_Migration_CountedAndGrantsFollow()
    {
        ReplayResult r = Run(new MigratingPlanner(migrateAt: 4), 2, Steady(1, 20));

        Assert.Empty(r.EnforcementErrors);
        Assert.Equal(1, r.Apps[0].Migrations);
        Assert.Equal(MigratePauseNs, r.Apps[0].PauseNs);
        Assert.Equal(0, r.Apps[0].Suspends);
        Assert.Equal(1, r.Apps[0].PausedStallSteps); // the step after the move waits for it
        Assert.Equal(1, r.Apps[0].UnderAllocatedSteps);
    }

    [Fact]
    public void Run_MigrationPauseLongerThanAStep_StallsEveryStepItCovers()
    {
        // A 13 µs pause on a node whose steps last 5 µs covers 3 steps.
        ReplayResult r = Run(new MigratingPlanner(migrateAt: 4), 2, new SimulatedCosts { StepNs = 5_000 }, Steady(1, 20));

        Assert.Equal(3, r.Apps[0].PausedStallSteps);
        Assert.Equal(3, r.Apps[0].UnderAllocatedSteps);
    }

    [Fact]
    public void Run_FailedAction_ReportedAsErrorAndNotCounted()
    {
        // A migration to a GPU that does not exist fails as a value: an error, no count, no pause.
        ReplayResult r = Run(new MigratingPlanner(migrateAt: 4, target: 3), 1, Steady(1, 20));

        Assert.Contains(r.EnforcementErrors, e => e.Contains("Migrate", StringComparison.Ordinal));
        Assert.Equal(0, r.Apps[0].Migrations);
        Assert.Equal(0, r.Apps[0].PauseNs);
    }

    [Fact]
    public void Run_ActionForAppNotRequested_ReportedAsError()
    {
        ReplayResult r = Run(new StrangerPlanner(), 1, Steady(1, 5));

        Assert.Contains(r.EnforcementErrors, e => e.Contains("Suspend", StringComparison.Ordinal));
        Assert.Equal(0, r.Apps[0].Suspends);
    }

    /// <summary>Asks to suspend an application the node has never seen.</summary>
    private sealed class StrangerPlanner : IPlanner
    {
        public string Name => "stranger";

        public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) =>
            new([], [], [new SlowAction(SlowActionKind.Suspend, new AppId(999, 1), 0, 0, 0, 0, 0, "no such app")]);
    }

    private static GpuAllocation Grant(AppId app, int gpu, long step) => new(app, gpu, 1UL << 30, 0, 1.0, step, step + 1);

    /// <summary>Grants the whole GPU to every application; suspends all at one step and restores them at a later one.</summary>
    private sealed class SuspendRestorePlanner(long suspendAt, long restoreAt, bool repeatSuspend = false) : IPlanner
    {
        public string Name => "suspend-restore";

        public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
        {
            var actions = new List<SlowAction>();
            var grants = new List<GpuAllocation>();
            foreach (PlanRequest request in requests)
            {
                bool suspended = view.Suspended.ContainsKey(request.App);
                if (view.Step == suspendAt || (repeatSuspend && suspended && view.Step < restoreAt))
                {
                    actions.Add(new SlowAction(SlowActionKind.Suspend, request.App, 0, 0, 0, 10 << 20, SuspendPauseNs, "idle"));
                    continue;
                }

                if (view.Step == restoreAt)
                {
                    actions.Add(new SlowAction(SlowActionKind.Restore, request.App, 0, 0, 0, 10 << 20, RestorePauseNs, "busy again"));
                }
                else if (suspended)
                {
                    continue;
                }

                grants.Add(Grant(request.App, 0, view.Step));
            }

            return new AllocationPlan(grants, [], actions);
        }
    }

    /// <summary>Grants the whole GPU on GPU 0, and from step <paramref name="migrateAt"/> on the target GPU after migrating there.</summary>
    private sealed class MigratingPlanner(long migrateAt, int target = 1) : IPlanner
    {
        public string Name => "migrating";

        public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
        {
            var actions = new List<SlowAction>();
            var grants = new List<GpuAllocation>();
            foreach (PlanRequest request in requests)
            {
                if (view.Step == migrateAt)
                {
                    actions.Add(new SlowAction(SlowActionKind.Migrate, request.App, 0, target, 0, 10 << 20, MigratePauseNs, "balance"));
                }

                int gpu = view.Current.TryGetValue(request.App, out GpuAllocation current) ? current.Gpu : 0;
                grants.Add(Grant(request.App, view.Step == migrateAt && target < view.Gpus.Count ? target : gpu, view.Step));
            }

            return new AllocationPlan(grants, [], actions);
        }
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Tests;

/// <summary>
/// What the replay counts. Under-allocation the GPU causes, not the grant: SM oversubscribed by
/// applications each within its share, and memory the GPU cannot back — both must count, or
/// oversubscription looks free. Slack and density against reservations, not against lent limits.
/// </summary>
public class NodeReplayAccountingTests
{
    private const double GiB = 1UL << 30;

    private static DemandSeries Constant(int pid, int steps, double sm, double vramGib) =>
        new(new AppId(pid, 1), $"app-{pid}", 0, Enumerable.Repeat(sm, steps).ToArray(), new double[steps],
            Enumerable.Repeat(vramGib * GiB, steps).ToArray(), ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations);

    private static ReplayResult Run(IPlanner planner, double gpuGib, params ReplayApp[] apps) =>
        NodeReplay.Run(apps, new EwmaQuantileForecaster(10, [0.1, 0.5, 0.99]), planner,
            new SimulatedGpuNode([SimulatedGpuSpec.WithMemory(0, gpuGib), SimulatedGpuSpec.WithMemory(1, gpuGib)], new SimulatedCosts()));

    [Fact]
    public void Run_SharesAddUpPastTheGpu_EveryBusyApplicationCountsContention()
    {
        // Test double: grants every application a 0.7 share on GPU 0; two using 0.6 each need 1.2.
        var planner = new FixedGrantPlanner(0, 0.7, 10 * GiB);
        ReplayResult r = Run(planner, 80, new ReplayApp(Constant(1, 20, 0.6, 1), Priority.Default), new ReplayApp(Constant(2, 20, 0.6, 1), Priority.Default));

        Assert.All(r.Apps, a => Assert.Equal(0, a.SmOverShareSteps));
        // From the first granted step on (the first is pass-through on separate GPUs).
        Assert.All(r.Apps, a => Assert.Equal(19, a.SmContendedSteps));
        Assert.Equal(38, r.Total.UnderAllocatedSteps);
    }

    [Fact]
    public void Run_SharesAddUpPastTheGpuButUseFits_NoContention()
    {
        var planner = new FixedGrantPlanner(0, 0.7, 10 * GiB);
        ReplayResult r = Run(planner, 80, new ReplayApp(Constant(1, 20, 0.5, 1), Priority.Default), new ReplayApp(Constant(2, 20, 0.5, 1), Priority.Default));

        Assert.Equal(0, r.Total.SmContendedSteps);
        Assert.Equal(0, r.Total.UnderAllocatedSteps);
    }

    [Fact]
    public void Run_QuotasAddUpPastTheGpu_TheGrowthItCannotBackIsUnderAllocated()
    {
        // Quotas of 30 GiB each on a 40 GiB GPU: each holds 15 GiB, then grows to 25 GiB at step 10.
        var planner = new FixedGrantPlanner(0, 0.1, 30 * GiB);
        DemandSeries Grow(int pid) => new(new AppId(pid, 1), $"grow-{pid}", 0, new double[20], new double[20],
            Enumerable.Range(0, 20).Select(i => (i < 10 ? 15 : 25) * GiB).ToArray(), ObservedSignals.VramFromAllocations);
        ReplayResult r = Run(planner, 40, new ReplayApp(Grow(1), Priority.Default), new ReplayApp(Grow(2), Priority.Default));

        // The second to grow finds 10 GiB it cannot back, from step 10 to the end: every one of those
        // steps is an out-of-memory, not only the one it grew in.
        Assert.Equal(0, r.Total.VramOverQuotaSteps);
        Assert.Equal(10, r.Total.GpuOomSteps);
        Assert.Equal(10, r.Total.UnderAllocatedSteps);
    }

    [Fact]
    public void Run_ArrivalsInOneStep_StartOnDifferentGpus()
    {
        // Two 50 GiB applications arriving together on two 80 GiB GPUs: piling both on GPU 0 before
        // their first grant would be an out-of-memory the replay made up.
        var planner = new FixedGrantPlanner(-1, 0.5, 60 * GiB);
        ReplayResult r = Run(planner, 80, new ReplayApp(Constant(1, 5, 0.1, 50), Priority.Default), new ReplayApp(Constant(2, 5, 0.1, 50), Priority.Default));

        Assert.Equal(0, r.Total.GpuOomSteps);
        Assert.Equal(0, r.Total.UnderAllocatedSteps);
    }

    [Fact]
    public void Run_WorkConservingLimits_SlackAndReservedMeansCountTheReservationOnly()
    {
        // Limit 1.0 SM and 40 GiB, reservation 0.25 SM and 2 GiB; the application uses 0.2 SM and 1 GiB.
        var planner = new FixedGrantPlanner(0, 1.0, 40 * GiB, 0.25, 2 * GiB);
        var node = new SimulatedGpuNode([SimulatedGpuSpec.WithMemory(0, 80)], new SimulatedCosts());
        var timeline = new TimelineRecorder(node.Gpus, 11);
        ReplayResult r = NodeReplay.Run([new ReplayApp(Constant(1, 11, 0.2, 1), Priority.Default)], new EwmaQuantileForecaster(10, [0.1, 0.5, 0.99]), planner, node, observers: [timeline]);

        AppReport a = r.Apps[0];
        Assert.Equal(0.25, a.SmReservedMean, 6);
        Assert.Equal(1.0, a.SmGrantedMean, 6);
        Assert.Equal(0.05 / 0.25, a.SmSlack, 6);
        Assert.Equal(2 * GiB, a.VramReservedMeanBytes, 0);
        Assert.Equal(0.5, a.VramSlack, 6);
        Assert.Equal(0.25, timeline.Timeline.SmGranted(5, 0), 6); // the timeline (density, utilization) counts the reservation
    }

    [Fact]
    public void Run_MigrationBesideAGrowingPool_MovesBeforeThePoolGrows()
    {
        // A (10 GiB, a 24 GiB pool) moves from GPU 0 to GPU 1, where B holds 40 GiB and its plan
        // raises its pool to 60 GiB. Growing B's pool first would leave 20 GiB for A's 24.
        DemandSeries Flat(int pid, double gib) => new(new AppId(pid, 1), $"flat-{pid}", 0, new double[6], new double[6], Enumerable.Repeat(gib * GiB, 6).ToArray(), ObservedSignals.VramFromAllocations);
        AppId a = new(1, 1), b = new(2, 1);
        var planner = new ScriptedPlanner((view, _) => view.Step < 2
            ? new AllocationPlan([new(a, 0, 30 * (ulong)GiB, 24 * (ulong)GiB, 0.5, view.Step, view.Step + 1), new(b, 1, 70 * (ulong)GiB, 40 * (ulong)GiB, 0.5, view.Step, view.Step + 1)], [])
            : new AllocationPlan(
                [new(a, 1, 30 * (ulong)GiB, 24 * (ulong)GiB, 0.5, view.Step, view.Step + 1), new(b, 1, 70 * (ulong)GiB, 60 * (ulong)GiB, 0.5, view.Step, view.Step + 1)],
                [],
                view.Current[a].Gpu == 0 ? [new SlowAction(SlowActionKind.Migrate, a, 0, 1, 0, 24 * (ulong)GiB, 1, "test")] : []));

        ReplayResult r = Run(planner, 80, new ReplayApp(Flat(1, 10), Priority.Default), new ReplayApp(Flat(2, 40), Priority.Default));

        Assert.Empty(r.EnforcementErrors);
        Assert.Equal(1, r.Apps[0].Migrations);
    }

    /// <summary>Test double of a planning policy: whatever the script says.</summary>
    private sealed class ScriptedPlanner(Func<NodeView, IReadOnlyList<PlanRequest>, AllocationPlan> script) : IPlanner
    {
        public string Name => "scripted-test-double";

        public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) => script(view, requests);
    }

    /// <summary>
    /// Test double of a planning policy: the same quota and share for every application, on one GPU
    /// (or, with gpu −1, on the GPU where it already runs, else GPU 0), nothing pre-mapped.
    /// </summary>
    private sealed class FixedGrantPlanner(int gpu, double share, double quotaBytes, double? reservedShare = null, double? reservedBytes = null) : IPlanner
    {
        public string Name => "fixed-test-double";

        public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests) => new(
            requests.Select((r, i) => new GpuAllocation(r.App, gpu >= 0 ? gpu : view.Current.TryGetValue(r.App, out GpuAllocation a) ? a.Gpu : i % view.Gpus.Count,
                (ulong)quotaBytes, 0, share, view.Step, view.Step + 1, reservedBytes is double b ? (ulong)b : GpuAllocation.SameAsLimit, reservedShare ?? -1)).ToArray(),
            []);
    }
}

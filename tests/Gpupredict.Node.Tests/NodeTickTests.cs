using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Node.Tests.Support;

namespace Gpupredict.Node.Tests;

/// <summary>The tick driven by a scripted source, a recording backend and virtual steps: what reaches the backend, the planner and the observers.</summary>
public sealed class NodeTickTests
{
    private const ulong GiB = 1UL << 30;
    private static readonly AppId A = new(1, 1), B = new(2, 1), C = new(3, 1), D = new(4, 1);
    private static readonly ResourceVector Busy = new(0.5, 1e9, 1 << 30);
    private static readonly NodeSpec TwoGpus = new([new GpuCapacity(0, "g0", new ResourceVector(1, 1e12, 80.0 * GiB)), new GpuCapacity(1, "g1", new ResourceVector(1, 1e12, 80.0 * GiB))], TimeBase.StepNs);

    private static GpuAllocation Grant(AppId app, int gpu, ulong gib, ulong premapGib, long step) => new(app, gpu, gib * GiB, premapGib * GiB, 0.5, step, step + 1);

    private static SlowAction Action(SlowActionKind kind, AppId app, int gpu, int target) => new(kind, app, gpu, target, 0, GiB, 1_000, "test");

    private static (NodeTick Tick, RecordingBackend Backend, RecordingObserver Observer) Build(IDemandSource source, IPlanner planner, Func<IEnforcementBackend, ISlowPath>? slowPath = null)
    {
        var backend = new RecordingBackend();
        var observer = new RecordingObserver();
        var tick = new NodeTick(TwoGpus, source, new FixedTerms(), new EwmaQuantileForecaster(4, QuantileGrid.Planning), planner, backend, (slowPath ?? (b => new ImmediateSlowPath(b)))(backend), [observer]);
        return (tick, backend, observer);
    }

    [Fact]
    public void Run_PlanWithEveryKindOfWrite_BackendGetsThemInEnforcementOrder()
    {
        // A suspends; B shrinks its pool; C migrates 0 -> 1; D grows its pool. Memory is freed before it is needed:
        // suspend, the grants that stay and do not grow, the move, then (in plan order) the moved grant and the growing one.
        var source = new ScriptedSource().Run(A, 0, 9, Busy).Run(B, 0, 9, Busy).Run(C, 0, 9, Busy).Run(D, 0, 9, Busy);
        var planner = new ScriptedPlanner((view, requests) => view.Step == 1
            ? new AllocationPlan([Grant(B, 0, 8, 4, 1), Grant(C, 0, 8, 4, 1), Grant(D, 0, 8, 4, 1)], [])
            : new AllocationPlan(
                [Grant(B, 0, 8, 2, view.Step), Grant(C, 1, 8, 4, view.Step), Grant(D, 0, 8, 6, view.Step)],
                [],
                [Action(SlowActionKind.Suspend, A, 0, 0), Action(SlowActionKind.Migrate, C, 0, 1)]));
        (NodeTick tick, RecordingBackend backend, _) = Build(source, planner);

        tick.Run(0);
        backend.Calls.Clear();
        tick.Run(1);

        Assert.Equal(["suspend 1", "apply 2 gpu0 8589934592", "migrate 3", "apply 3 gpu1 8589934592", "apply 4 gpu0 8589934592"], backend.Calls);
    }

    [Fact]
    public void Run_ViewIsTheTicksOwnState_FailedGrantKeepsTheOldOneAndSuspendsAndMovesAreTaken()
    {
        var source = new ScriptedSource().Run(A, 0, 9, Busy).Run(B, 0, 9, Busy);
        var planner = new ScriptedPlanner((view, _) => view.Step switch
        {
            1 => new AllocationPlan([Grant(A, 0, 8, 0, 1), Grant(B, 0, 8, 0, 1)], []),
            2 => new AllocationPlan([Grant(A, 0, 16, 0, 2), Grant(B, 1, 8, 0, 2)], [], [Action(SlowActionKind.Migrate, B, 0, 1)]),
            3 => new AllocationPlan([Grant(A, 0, 16, 0, 3)], [], [Action(SlowActionKind.Suspend, B, 1, 1)]),
            _ => new AllocationPlan([], []),
        });
        (NodeTick tick, RecordingBackend backend, RecordingObserver observer) = Build(source, planner);
        backend.OnApply = a => a.App == A && a.VramQuotaBytes == 16 * GiB ? EnforcementResult.Failed("x", "no room") : null;

        for (long s = 0; s < 4; s++)
        {
            tick.Run(s);
        }

        NodeView atThree = planner.Seen[2].View, atFour = planner.Seen[3].View;
        Assert.Equal(8 * GiB, atThree.Current[A].VramQuotaBytes); // the refused 16 GiB grant never took hold
        Assert.Equal(1, atThree.Current[B].Gpu); // moved by the completed migration
        Assert.False(atFour.Current.ContainsKey(B));
        Assert.Equal(1, atFour.Suspended[B]);
        Assert.Contains("step 2, 1.1: no room", observer.Ticks[1].Errors);
    }

    [Fact]
    public void Run_ArrivalsExitsAndRequests_ReachTheObserversAndThePlanner()
    {
        var source = new ScriptedSource().Run(A, 0, 2, Busy).Run(B, 1, 3, Busy);
        var planner = new ScriptedPlanner((view, requests) => new AllocationPlan([.. requests.Select(r => Grant(r.App, 0, 4, 0, view.Step))], []));
        (NodeTick tick, RecordingBackend backend, RecordingObserver observer) = Build(source, planner);

        for (long s = 0; s < 5; s++)
        {
            tick.Run(s);
        }

        Assert.Equal(["1:fixed"], observer.Ticks[0].Admitted);
        Assert.Equal(["2:fixed"], observer.Ticks[1].Admitted);
        Assert.Equal([1, 2, 1, 0, 0], observer.Ticks.Select(t => t.Requests)); // an exiting application is not planned for
        Assert.Equal(["1"], observer.Ticks[2].Released);
        Assert.Equal(["2"], observer.Ticks[3].Released);
        Assert.Contains("release 1", backend.Calls);
        Assert.Equal(0, tick.Applications);
        Assert.Empty(tick.Grants);
        Assert.Equal([0L, 1, 2, 3, 4], source.Read);
    }

    [Fact]
    public void Run_PlannerActsOnAStranger_RefusedAndNothingReachesTheBackend()
    {
        var source = new ScriptedSource().Run(A, 0, 3, Busy);
        var planner = new ScriptedPlanner((view, _) => new AllocationPlan([Grant(C, 0, 4, 0, view.Step)], [], [Action(SlowActionKind.Suspend, D, 0, 0)]));
        (NodeTick tick, RecordingBackend backend, RecordingObserver observer) = Build(source, planner);

        tick.Run(0);

        Assert.Empty(backend.Calls);
        Assert.Equal(["step 1, 4.1: Suspend: the plan acts on an application it was not asked about", "step 1, 3.1: the plan grants an application it was not asked about"], observer.Ticks[0].Errors);
    }

    [Fact]
    public void Run_SourceReportsAnUnknownAppOrOneTwice_IgnoredNotPlanned()
    {
        var source = new ScriptedSource().Run(A, 0, 3, Busy)
            .At(1, f => f.Observe(new AppObservation(C, Busy, default, false), []))
            .At(1, f => f.Observe(new AppObservation(A, Busy, default, false), []));
        var planner = new ScriptedPlanner((_, _) => new AllocationPlan([], []));
        (NodeTick tick, _, RecordingObserver observer) = Build(source, planner);

        tick.Run(0);
        tick.Run(1);

        Assert.Equal([A], planner.Seen[1].Requests.Select(r => r.App));
    }

    [Fact]
    public void Run_MoveFinishesTicksLater_ItsGrantWaitsAndAFailedMoveDropsIt()
    {
        HeldSlowPath? held = null;
        var source = new ScriptedSource().Run(A, 0, 9, Busy).Run(B, 0, 9, Busy);
        var planner = new ScriptedPlanner((view, _) => view.Step switch
        {
            1 => new AllocationPlan([Grant(A, 0, 4, 0, 1), Grant(B, 0, 4, 0, 1)], []),
            2 => new AllocationPlan([Grant(A, 1, 4, 0, 2), Grant(B, 1, 4, 0, 2)], [], [Action(SlowActionKind.Migrate, A, 0, 1), Action(SlowActionKind.Migrate, B, 0, 1)]),
            _ => new AllocationPlan([Grant(A, view.Current[A].Gpu, 4, 0, view.Step), Grant(B, view.Current[B].Gpu, 4, 0, view.Step)], []),
        });
        (NodeTick tick, RecordingBackend backend, RecordingObserver observer) = Build(source, planner, b => held = new HeldSlowPath(b));
        backend.OnExecute = a => a.App == B ? EnforcementResult.Failed("x", "GPU 1 is full") : null;

        tick.Run(0);
        backend.Calls.Clear();
        tick.Run(1); // the plan for step 2 moves both: nothing for A or B may be applied before the moves finish
        Assert.Empty(backend.Calls);

        held!.Finish();
        tick.Run(2);

        // A's grant waited for its move; B's move failed, so its grant for GPU 1 was dropped and the next plan keeps it on GPU 0.
        Assert.Equal(["migrate 1", "migrate 2", "apply 1 gpu1 4294967296", "apply 1 gpu1 4294967296", "apply 2 gpu0 4294967296"], backend.Calls);
        Assert.Equal(["Migrate 1@2:ok", "Migrate 2@2:failed"], observer.Ticks[2].Completions);
        Assert.Contains("step 2, 2.1: Migrate: GPU 1 is full", observer.Ticks[2].Errors);
        Assert.Equal((1, 0), (planner.Seen[2].View.Current[A].Gpu, planner.Seen[2].View.Current[B].Gpu));
    }

    [Fact]
    public void Constructor_ForecasterWithoutThePlannersUpperLevel_ThrowsNamingIt()
    {
        var planner = new ScriptedPlanner((_, _) => new AllocationPlan([], []));
        var e = Assert.Throws<ArgumentException>(() => new NodeTick(TwoGpus, new ScriptedSource(), new FixedTerms(), new EwmaQuantileForecaster(4, [0.1, 0.5, 0.9]), planner, new RecordingBackend(), new ImmediateSlowPath(new RecordingBackend()), []));

        Assert.Contains("forecaster 'ewma' forecasts quantile levels [0.1, 0.5, 0.9]; the planner reads the upper quantile 0.99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_StepsMustIncrease()
    {
        (NodeTick tick, _, _) = Build(new ScriptedSource(), new ScriptedPlanner((_, _) => new AllocationPlan([], [])));
        tick.Run(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => tick.Run(3));
    }

    [Fact]
    public void Run_ForecastsAreTheForecastersOwn_BatchEqualsObserveThenPredict()
    {
        var demand = new[] { new ResourceVector(0.2, 1e9, 1e9), new ResourceVector(0.6, 2e9, 2e9), new ResourceVector(0.4, 1e9, 3e9) };
        var source = new ScriptedSource().Run(A, 0, 9, default);
        for (long s = 0; s < 3; s++)
        {
            ResourceVector d = demand[s];
            source.At(s, f => f.Observe(new AppObservation(B, d, default, false), []));
        }

        source.At(0, f => f.Arrive(new AppArrival(B, AppIdentity.Recorded("b"), "b", default, 0)));
        Forecast? last = null;
        var planner = new ScriptedPlanner((_, requests) =>
        {
            last = new Forecast(B, 0, 4, [.. QuantileGrid.Planning], Values(requests.Single(r => r.App == B).Forecast));
            return new AllocationPlan([], []);
        });
        (NodeTick tick, _, _) = Build(source, planner);
        var reference = new EwmaQuantileForecaster(4, QuantileGrid.Planning);
        for (long s = 0; s < 3; s++)
        {
            tick.Run(s);
            reference.Observe(B, s, demand[s]);
        }

        Assert.Equal(Values(reference.Predict(B)), Values(last!));
    }

    private static double[] Values(Forecast f)
    {
        double[] v = new double[f.ValueCount];
        f.CopyTo(v);
        return v;
    }

    /// <summary>Every application gets the default priority under a rule called "fixed".</summary>
    private sealed class FixedTerms : IAdmission
    {
        public AppTerms Admit(AppId app, AppIdentity identity) => AppTerms.Default with { Rule = "fixed" };
    }
}

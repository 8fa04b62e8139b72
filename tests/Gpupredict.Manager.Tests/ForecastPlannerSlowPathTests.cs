using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests;

/// <summary>Dynamic adjustment, reclamation, constraints, oversubscription and migration of the forecast planner.</summary>
public sealed class ForecastPlannerSlowPathTests
{
    private static readonly AppId A = new(1, 1);
    private static readonly AppId B = new(2, 1);
    private static readonly AppId C = new(3, 1);
    private static readonly Dictionary<AppId, GpuAllocation> None = [];

    private static PlanRequest Req(AppId app, ResourceVector median, ResourceVector upper, ResourceVector current, PlanConstraints? constraints = null, DemandTracking? tracking = null, Priority? priority = null) =>
        new(app, priority ?? Priority.Default, Flat(app, 10, median, upper), current, upper, constraints, tracking);

    private static GpuAllocation Grant(AppId app, int gpu, ulong quota, double share) => new(app, gpu, quota, quota, share, 0, 10);

    [Fact]
    public void Plan_IdleLongAndNothingForecast_Suspends()
    {
        var planner = new ForecastPlanner(HardCaps with { SuspendAfterSteps = 100 });
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 4 * GiB, 0.2) };
        AllocationPlan plan = planner.Plan(new NodeView(500, [Gpu(0, 80 * GiB)], current),
            [Req(A, ResourceVector.Zero, new ResourceVector(0.3, 0, 2 * GiB), new ResourceVector(0, 0, 2 * GiB), tracking: new DemandTracking(0, 0, 150))]);

        SlowAction suspend = Assert.Single(plan.Actions);
        Assert.Equal(SlowActionKind.Suspend, suspend.Kind);
        Assert.Equal(2 * GiB, suspend.Bytes);
        Assert.True(suspend.ExpectedPauseNs > 0);
        Assert.Empty(plan.Allocations);
    }

    [Theory]
    [InlineData(99, true, 0.0)] // not idle long enough
    [InlineData(150, false, 0.0)] // policy forbids it
    [InlineData(150, true, 0.2)] // the median forecast shows work within the restore lead
    public void Plan_SuspendConditionsNotAllMet_KeepsGranting(long idleSteps, bool maySuspend, double medianSm)
    {
        var planner = new ForecastPlanner(HardCaps with { SuspendAfterSteps = 100 });
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 4 * GiB, 0.2) };
        PlanConstraints constraints = PlanConstraints.None with { MaySuspend = maySuspend };
        AllocationPlan plan = planner.Plan(new NodeView(500, [Gpu(0, 80 * GiB)], current),
            [Req(A, new ResourceVector(medianSm, 0, 0), new ResourceVector(0.3, 0, 2 * GiB), new ResourceVector(0, 0, 2 * GiB), constraints, new DemandTracking(0, 0, idleSteps))]);

        Assert.Empty(plan.Actions);
        Assert.Single(plan.Allocations);
    }

    [Fact]
    public void Plan_SuspendedWithWorkAhead_RestoresBeforeGranting()
    {
        var planner = new ForecastPlanner(HardCaps);
        var view = new NodeView(10, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], None, new Dictionary<AppId, int> { [A] = 1 });
        AllocationPlan plan = planner.Plan(view,
            [Req(A, new ResourceVector(0.5, 0, 3 * GiB), new ResourceVector(0.6, 0, 3 * GiB), new ResourceVector(0, 0, 3 * GiB), tracking: new DemandTracking(0, 0, 40))]);

        SlowAction restore = Assert.Single(plan.Actions);
        Assert.Equal(SlowActionKind.Restore, restore.Kind);
        Assert.Equal(1, restore.Gpu);
        GpuAllocation grant = Assert.Single(plan.Allocations);
        Assert.Equal(grant.Gpu, restore.TargetGpu);
    }

    [Fact]
    public void Plan_SuspendedAndStillIdle_StaysSuspendedWithoutGrant()
    {
        var planner = new ForecastPlanner(HardCaps);
        var view = new NodeView(10, [Gpu(0, 80 * GiB)], None, new Dictionary<AppId, int> { [A] = 0 });
        AllocationPlan plan = planner.Plan(view, [Req(A, ResourceVector.Zero, new ResourceVector(0.3, 0, GiB), new ResourceVector(0, 0, GiB), tracking: new DemandTracking(0, 0, 40))]);

        Assert.Empty(plan.Actions);
        Assert.Empty(plan.Allocations);
    }

    [Fact]
    public void Plan_FloorAndCeiling_ClampTheGrant()
    {
        var planner = new ForecastPlanner(HardCaps);
        var constraints = new PlanConstraints(8 * GiB, 0.25, 10 * GiB, 0.5, true, true);
        AllocationPlan small = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None), [Req(A, ResourceVector.Zero, new ResourceVector(0.1, 0, GiB), default, constraints)]);
        AllocationPlan large = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None), [Req(A, ResourceVector.Zero, new ResourceVector(0.9, 0, 30 * GiB), default, constraints)]);

        Assert.Equal(8 * GiB, small.Allocations[0].VramQuotaBytes);
        Assert.Equal(0.25, small.Allocations[0].SmShare, 12);
        Assert.Equal(10 * GiB, large.Allocations[0].VramQuotaBytes);
        Assert.Equal(0.5, large.Allocations[0].SmShare, 12);
    }

    [Fact]
    public void Plan_SmFloor_NotScaledAwayUnderContention()
    {
        // A has a 0.6 floor; both want 0.84 of one GPU: A keeps its floor plus its part of what is left.
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1 });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None),
        [
            Req(A, new ResourceVector(0.8, 0, 0), new ResourceVector(0.8, 0, MiB), default, new PlanConstraints(0, 0.6, ulong.MaxValue, 1, true, true)),
            Req(B, new ResourceVector(0.8, 0, 0), new ResourceVector(0.8, 0, MiB), default),
        ]);

        double a = plan.Allocations.Single(x => x.App == A).SmShare, b = plan.Allocations.Single(x => x.App == B).SmShare;
        Assert.True(a >= 0.6, $"A got {a}");
        Assert.Equal(1.0, a + b, 9);
    }

    [Fact]
    public void Plan_DemandAboveIntervalForSustainedWindow_SurgesHeadroom()
    {
        var planner = new ForecastPlanner(HardCaps with { SustainSteps = 3, SurgeFactor = 0.5 });
        ResourceVector upper = new(0.4, 0, GiB);
        double calm = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None), [Req(A, ResourceVector.Zero, upper, default, tracking: new DemandTracking(2, 0, 0))]).Allocations[0].SmShare;
        double surge = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None), [Req(A, ResourceVector.Zero, upper, default, tracking: new DemandTracking(3, 0, 0))]).Allocations[0].SmShare;

        Assert.Equal(0.4 * 1.05, calm, 12);
        Assert.Equal(0.4 * 1.55, surge, 12);
    }

    [Fact]
    public void Plan_DemandBelowIntervalForSustainedWindow_ShrinksPastHysteresis()
    {
        // 95 MiB * 1.05 -> 100 MiB is within the hysteresis of a 104 MiB grant: held, unless demand has been below for the window.
        var planner = new ForecastPlanner(HardCaps with { SustainSteps = 3 });
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 104 * MiB, 0.5) };
        ResourceVector upper = new(0.5, 0, 95 * MiB);
        ulong held = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB)], current), [Req(A, ResourceVector.Zero, upper, default, tracking: new DemandTracking(0, 2, 0))]).Allocations[0].VramQuotaBytes;
        ulong shrunk = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB)], current), [Req(A, ResourceVector.Zero, upper, default, tracking: new DemandTracking(0, 3, 0))]).Allocations[0].VramQuotaBytes;

        Assert.Equal(104 * MiB, held);
        Assert.Equal(100 * MiB, shrunk);
    }

    [Fact]
    public void Plan_IndependentBurstsFit_QuotasOversubscribedButPremapStaysPhysical()
    {
        // Each: median 1 GiB, p99 6 GiB on a 10 GiB GPU. Σ p99 = 12 GiB does not fit, but the likely
        // total 2 + √(5² + 5²) ≈ 9.07 GiB does: both quotas (6.3 GiB) granted; pre-map capped at 10 GiB in all.
        var planner = new ForecastPlanner(HardCaps);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None),
        [
            Req(A, new ResourceVector(0.1, 0, GiB), new ResourceVector(0.3, 0, 6 * GiB), default),
            Req(B, new ResourceVector(0.1, 0, GiB), new ResourceVector(0.3, 0, 6 * GiB), default),
        ]);

        Assert.Empty(plan.Shortfalls);
        Assert.All(plan.Allocations, a => Assert.Equal(VramGranularity.RoundUp(6 * GiB * 1.05), a.VramQuotaBytes));
        Assert.True(plan.Allocations.Sum(a => (double)a.PremapTargetBytes) <= 10 * GiB);
    }

    [Fact]
    public void Plan_CorrelatedLoadWouldNotFit_NoOversubscription()
    {
        // Medians equal the p99: no spread, the total is certain (12 GiB > 10 GiB): strict.
        var planner = new ForecastPlanner(HardCaps);
        ResourceVector six = new(0.3, 0, 6 * GiB);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None), [Req(A, six, six, default), Req(B, six, six, default)]);

        Assert.True(plan.Allocations.Sum(a => (double)a.VramQuotaBytes) <= 10 * GiB);
        Assert.NotEmpty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_NewAppsWithRoom_PackedOntoOneGpu()
    {
        var planner = new ForecastPlanner(HardCaps);
        ResourceVector small = new(0.1, 0, 2 * GiB);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], None), [Req(A, small, small, default), Req(B, small, small, default), Req(C, small, small, default)]);

        Assert.Single(plan.Allocations.Select(a => a.Gpu).Distinct());
    }

    [Fact]
    public void Plan_HotGpu_MigratesTheCheapestMovableApp()
    {
        // GPU 0 holds A (1 GiB) and B (40 GiB); both now forecast 45 GiB: hot. A is cheaper to move.
        var planner = new ForecastPlanner(HardCaps);
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 20 * GiB, 0.3), [B] = Grant(B, 0, 45 * GiB, 0.3) };
        ResourceVector hot = new(0.3, 0, 45 * GiB);
        AllocationPlan plan = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current),
            [Req(A, hot, hot, new ResourceVector(0.3, 0, 1 * GiB)), Req(B, hot, hot, new ResourceVector(0.3, 0, 40 * GiB))]);

        SlowAction move = Assert.Single(plan.Actions);
        Assert.Equal((SlowActionKind.Migrate, A, 0, 1), (move.Kind, move.App, move.Gpu, move.TargetGpu));
        Assert.Equal(1, plan.Allocations.Single(a => a.App == A).Gpu);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_HotGpu_MovesTheLowerClassFirstEvenWhenDearer()
    {
        // A guaranteed holds 1 GiB, B best-effort 5 GiB; both forecast 45 GiB on one 80 GiB GPU.
        var planner = new ForecastPlanner(HardCaps);
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 20 * GiB, 0.3), [B] = Grant(B, 0, 20 * GiB, 0.3) };
        ResourceVector hot = new(0.3, 0, 45 * GiB);
        AllocationPlan plan = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current),
        [
            Req(A, hot, hot, new ResourceVector(0.3, 0, 1 * GiB), priority: new Priority(PriorityClass.Guaranteed, 100)),
            Req(B, hot, hot, new ResourceVector(0.3, 0, 5 * GiB), priority: new Priority(PriorityClass.BestEffort, 100)),
        ]);

        SlowAction move = Assert.Single(plan.Actions);
        Assert.Equal((SlowActionKind.Migrate, B), (move.Kind, move.App));
    }

    [Fact]
    public void Plan_HotGpuButMovesTooSlowOrForbidden_NoMigration()
    {
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 20 * GiB, 0.3), [B] = Grant(B, 0, 45 * GiB, 0.3) };
        ResourceVector hot = new(0.3, 0, 45 * GiB);
        var view = new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current);
        PlanRequest[] requests = [Req(A, hot, hot, new ResourceVector(0.3, 0, 30 * GiB)), Req(B, hot, hot, new ResourceVector(0.3, 0, 40 * GiB))];

        // 30 GiB out and back in at 10 GB/s is ~6.5 s, over a 2 s limit.
        Assert.Empty(new ForecastPlanner(HardCaps).Plan(view, requests).Actions);
        PlanRequest[] pinned = [.. requests.Select(r => r with { Constraints = PlanConstraints.None with { MayMigrate = false } })];
        Assert.Empty(new ForecastPlanner(HardCaps with { MaxMigrationPauseNs = long.MaxValue }).Plan(view, pinned).Actions);
    }

    [Fact]
    public void Plan_LendIdle_NeverLendsTheReservedSms()
    {
        // A GPU with a reserve of 0.3 SM offers 0.7: a lone application with no SM ceiling may use
        // all 0.7 (SMs are time-sliced) but never the 0.3 held back, nor a ceiling above what is left.
        var planner = new ForecastPlanner(HardCaps with { WorkConserving = true, MaxOversubscription = 1, Reserve = new ResourceVector(0.3, 0, GiB) });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None),
        [
            Req(A, new ResourceVector(0.2, 0, GiB), new ResourceVector(0.2, 0, GiB), default),
        ]);

        GpuAllocation a = plan.Allocations.Single();
        Assert.Equal(0.7, a.SmShare, 9);
        Assert.True(a.VramQuotaBytes <= 9 * GiB, "the VRAM reserve is not lent out either");
    }

    [Fact]
    public void Plan_LendIdle_ReservesTheJointTailAndLendsTheRest()
    {
        // Medians = forecasts: A 0.2 SM and 1 GiB, B 0.4 and 2 GiB; wants add 5 %: spreads of 0.01 and
        // 0.02 SM. Together they need 0.6 + √(0.01² + 0.02²), not 0.63: that is what the GPU reserves.
        var planner = new ForecastPlanner(HardCaps with { WorkConserving = true, MaxOversubscription = 1 });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None),
        [
            Req(A, new ResourceVector(0.2, 0, GiB), new ResourceVector(0.2, 0, GiB), default),
            Req(B, new ResourceVector(0.4, 0, 2 * GiB), new ResourceVector(0.4, 0, 2 * GiB), default),
        ]);

        GpuAllocation a = plan.Allocations.Single(x => x.App == A), b = plan.Allocations.Single(x => x.App == B);
        double joint = 0.6 + Math.Sqrt((0.01 * 0.01) + (0.02 * 0.02));
        Assert.Equal(joint, a.SmReservation + b.SmReservation, 9);
        Assert.Equal(2, (b.SmReservation - 0.4) / (a.SmReservation - 0.2), 9); // the pooled headroom in proportion to the spreads
        Assert.Equal((1.0, 1.0), (a.SmShare, b.SmShare)); // SMs are time-sliced: no cap below the ceiling

        Assert.InRange(a.VramReservation, GiB, VramGranularity.RoundUp(1.05 * GiB));
        Assert.InRange(b.VramReservation, 2 * GiB, VramGranularity.RoundUp(2.1 * GiB));
        Assert.True(a.PremapTargetBytes <= a.VramReservation && b.PremapTargetBytes <= b.VramReservation, "pre-maps stay within reservations");
        ulong idle = VramGranularity.RoundDown((10 * GiB) - (double)(a.VramReservation + b.VramReservation));
        Assert.Equal(a.VramReservation + idle, a.VramQuotaBytes);
        Assert.Equal(b.VramReservation + idle, b.VramQuotaBytes);
        Assert.All(plan.Allocations, x => Assert.Null(x.Validate()));
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_WorkConserving_QuotaInForceKeptWhileSafeAndClose()
    {
        var planner = new ForecastPlanner(HardCaps with { WorkConserving = true, MaxOversubscription = 1 });
        PlanRequest[] requests = [Req(A, new ResourceVector(0.1, 0, GiB), new ResourceVector(0.3, 0, 2 * GiB), default)];
        GpuAllocation fresh = Assert.Single(planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None), requests).Allocations);

        // 5 % under the new limit and above the want: kept. Above the new limit: never kept.
        GpuAllocation close = fresh with { VramQuotaBytes = VramGranularity.RoundDown(fresh.VramQuotaBytes * 0.95) };
        GpuAllocation over = fresh with { VramQuotaBytes = fresh.VramQuotaBytes + (64 * MiB) };
        GpuAllocation far = fresh with { VramQuotaBytes = VramGranularity.RoundDown(fresh.VramQuotaBytes * 0.5) };
        ulong Next(GpuAllocation now) => Assert.Single(planner.Plan(new NodeView(2, [Gpu(0, 10 * GiB)], new Dictionary<AppId, GpuAllocation> { [A] = now }), requests).Allocations).VramQuotaBytes;

        Assert.Equal(close.VramQuotaBytes, Next(close));
        Assert.Equal(fresh.VramQuotaBytes, Next(over));
        Assert.Equal(fresh.VramQuotaBytes, Next(far));
    }

    [Fact]
    public void Plan_LendIdle_LoneApplicationReservesItsWholeGrant()
    {
        var planner = new ForecastPlanner(HardCaps with { WorkConserving = true, MaxOversubscription = 1 });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB)], None),
            [Req(A, new ResourceVector(0.1, 0, GiB), new ResourceVector(0.3, 0, 2 * GiB), default)]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(0.3 * 1.05, a.SmReservation, 9);
        Assert.Equal(VramGranularity.RoundUp(2.1 * GiB), a.VramReservation);
        Assert.Equal(1.0, a.SmShare, 9);
        Assert.Equal(10 * GiB, a.VramQuotaBytes);
    }

    [Theory]
    [InlineData(57_000_000_000L, 1, true)] // a 57 s step at 1.6x: the slowdown costs ~21 s, the move ~4.4 s
    [InlineData(10_000_000L, 10, false)]   // 10 ms steps: the slowdown over 100 ms is ~38 ms, the 2 s limit holds
    public void Plan_SmContendedNow_MigratesWhenTheSlowdownCostsMoreThanThePause(long stepNs, int window, bool moves)
    {
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 20 * GiB, 0.8), [B] = Grant(B, 0, 20 * GiB, 0.8) };
        ResourceVector busy = new(0.8, 0, 20 * GiB);
        var view = new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current);
        var options = HardCaps with { StepNs = stepNs, WindowSteps = window, WorkConserving = true };
        AllocationPlan plan = new ForecastPlanner(options).Plan(view, [Req(A, busy, busy, busy), Req(B, busy, busy, busy)]);

        SlowAction? move = plan.Actions.SingleOrDefault(a => a.Kind == SlowActionKind.Migrate);
        Assert.Equal(moves, move is not null);
        if (move is not null)
        {
            Assert.True(move.ExpectedPauseNs > options.MaxMigrationPauseNs);
            Assert.Contains("SM-contended", move.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(10_000_000L, 10, false)]   // forecast slowdown over 100 ms (~38 ms) < a ~0.3 s pause: stay
    [InlineData(57_000_000_000L, 1, true)] // over a 57 s step it is ~21 s: move
    public void Plan_SmHotByForecastWithinThePauseLimit_MovesOnlyWhenTheSlowdownOutweighsThePause(long stepNs, int window, bool moves)
    {
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 2 * GiB, 0.5), [B] = Grant(B, 0, 2 * GiB, 0.5) };
        ResourceVector forecast = new(0.8, 0, GiB);
        ResourceVector now = new(0.5, 0, GiB); // not contended now: only the forecast is hot
        var options = HardCaps with { StepNs = stepNs, WindowSteps = window, WorkConserving = true, MaxOversubscription = 1 };
        AllocationPlan plan = new ForecastPlanner(options).Plan(new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current), [Req(A, forecast, forecast, now), Req(B, forecast, forecast, now)]);

        Assert.Equal(moves, plan.Actions.Any(a => a.Kind == SlowActionKind.Migrate));
    }

    [Fact]
    public void Plan_GpuOutOfMemoryNow_MigratesWhateverThePause()
    {
        // Both demand 45 GiB of an 80 GiB GPU now: someone's allocation is failing. Moving 45 GiB takes
        // ~10 s, over the 2 s limit, but a failed allocation costs more.
        var current = new Dictionary<AppId, GpuAllocation> { [A] = Grant(A, 0, 45 * GiB, 0.3), [B] = Grant(B, 0, 45 * GiB, 0.3) };
        ResourceVector hot = new(0.3, 0, 45 * GiB);
        var view = new NodeView(5, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current);
        AllocationPlan plan = new ForecastPlanner(HardCaps).Plan(view, [Req(A, hot, hot, hot), Req(B, hot, hot, hot)]);

        SlowAction move = Assert.Single(plan.Actions);
        Assert.Equal((SlowActionKind.Migrate, 0, 1), (move.Kind, move.Gpu, move.TargetGpu));
        Assert.True(move.ExpectedPauseNs > HardCaps.MaxMigrationPauseNs);
        Assert.Contains("out of memory", move.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Mps_PartitionsNewAppsAndLargeShareMoves()
    {
        var planner = new ForecastPlanner(HardCaps with { MpsPartitions = true, MpsRepartitionPoints = 10 });
        var current = new Dictionary<AppId, GpuAllocation> { [B] = Grant(B, 0, GiB, 0.30), [C] = Grant(C, 0, GiB, 0.30) };
        AllocationPlan plan = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB)], current),
        [
            Req(A, new ResourceVector(0.2, 0, 0), new ResourceVector(0.2, 0, 100 * MiB), default), // new: 0.2 * 1.05 = 0.21 -> 21 %
            Req(B, new ResourceVector(0.5, 0, 0), new ResourceVector(0.5, 0, 100 * MiB), default), // 30 % -> 53 %: moved
            Req(C, new ResourceVector(0.3, 0, 0), new ResourceVector(0.3, 0, 100 * MiB), default), // 30 % -> 32 %: held
        ]);

        SlowAction[] mps = [.. plan.Actions.Where(a => a.Kind == SlowActionKind.SetMpsPartition)];
        Assert.Equal([A, B], mps.Select(a => a.App).OrderBy(a => a.Pid).ToArray());
        Assert.Equal(21, mps.Single(a => a.App == A).SmPercent);
        Assert.Equal(53, mps.Single(a => a.App == B).SmPercent);
        Assert.All(mps, a => Assert.Null(a.Validate()));
        Assert.DoesNotContain(new ForecastPlanner(HardCaps).Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None), [Req(A, ResourceVector.Zero, new ResourceVector(0.2, 0, MiB), default)]).Actions,
            a => a.Kind == SlowActionKind.SetMpsPartition);
    }
}

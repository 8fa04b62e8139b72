using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Manager.Planning;
using Xunit.Abstractions;

namespace Gpupredict.Simulation.Tests;

/// <summary>Planner and replay invariants, each from a bug a review found (input that broke it, then the fix).</summary>
public sealed class PlannerInvariantTests(ITestOutputHelper o)
{
    const ulong MiB = 1UL << 20, GiB = 1UL << 30;
    static readonly ForecastPlannerOptions HardCaps = new() { WorkConserving = false, MaxOversubscription = 1.5, SuspendAfterSteps = 30_000 };
    static readonly AppId A = new(1, 1), B = new(2, 1), C = new(3, 1);
    static GpuCapacity Gpu(int i, ulong v) => new(i, "t", new ResourceVector(1.0, 1e12, v));
    static Forecast Flat(AppId app, int horizon, ResourceVector median, ResourceVector upper)
    {
        var values = new List<double>();
        for (int h = 0; h < horizon; h++) values.AddRange([median.SmFraction, median.BandwidthBytesPerSecond, median.VramBytes, upper.SmFraction, upper.BandwidthBytesPerSecond, upper.VramBytes]);
        return new Forecast(app, 0, horizon, [0.5, 0.99], [.. values]);
    }
    static PlanRequest Req(AppId app, ResourceVector median, ResourceVector upper, ResourceVector current, PlanConstraints? c = null, DemandTracking? t = null, Priority? p = null, int horizon = 60) =>
        new(app, p ?? Priority.Default, Flat(app, horizon, median, upper), current, upper, c, t);
    static ResourceVector V(double sm, double vram) => new(sm, 0, vram);
    void Dump(AllocationPlan plan)
    {
        foreach (var a in plan.Allocations) o.WriteLine($"alloc {a.App} gpu{a.Gpu} quota={a.VramQuotaBytes} ({a.VramQuotaBytes % (2 * MiB)}) premap={a.PremapTargetBytes} sm={a.SmShare}");
        foreach (var s in plan.Shortfalls) o.WriteLine($"short {s.App}");
        foreach (var s in plan.Actions) o.WriteLine($"action {s.Kind} {s.App} {s.Gpu}->{s.TargetGpu}");
    }

    [Fact] // decimal-GB ceiling: not chunk aligned -> quota rounded below want, spurious shortfall every plan
    public void F_UnalignedCeiling()
    {
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1 });
        var c = PlanConstraints.None with { CeilingVramBytes = 8_000_000_000 };
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Req(A, V(0.1, 1 * GiB), V(0.2, 10 * GiB), V(0.1, 1 * GiB), c)]);
        Dump(plan);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact] // decimal-GB floor: quota not chunk aligned
    public void F_UnalignedFloor()
    {
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1 });
        var c = PlanConstraints.None with { FloorVramBytes = 1_000_000_000 };
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Req(A, V(0.1, 10 * MiB), V(0.2, 10 * MiB), V(0.1, 10 * MiB), c)]);
        Dump(plan);
        Assert.All(plan.Allocations, a => Assert.Equal(0UL, a.VramQuotaBytes % (2 * MiB)));
    }

    [Fact] // high tier premaps memory a lower-tier app already holds
    public void F_PremapPlusHeldExceedsUsable()
    {
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1, MigrationEnabled = false });
        var current = new Dictionary<AppId, GpuAllocation> { [B] = new(B, 0, 600 * MiB, 600 * MiB, 0.2, 0, 10) };
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 1 * GiB)], current), [
            Req(A, V(0.2, 100 * MiB), V(0.3, 800 * MiB), V(0.1, 0), p: new Priority(PriorityClass.Guaranteed, 100)),
            Req(B, V(0.1, 600 * MiB), V(0.2, 600 * MiB), V(0.1, 600 * MiB), p: new Priority(PriorityClass.BestEffort, 100))]);
        Dump(plan);
        ulong physical = plan.Allocations.Aggregate(0UL, (s, a) => s + Math.Max(a.PremapTargetBytes, a.App == B ? 600 * MiB : 0));
        ulong quotas = plan.Allocations.Aggregate(0UL, (s, a) => s + a.VramQuotaBytes);
        o.WriteLine($"physical={physical / MiB} MiB quotas={quotas / MiB} MiB usable=1024 MiB");
        Assert.True(physical <= GiB);
    }

    [Fact] // lower-tier SM floor not reserved; strict mode SM shares add to > 1
    public void F_SmFloorsAcrossTiers()
    {
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1, MigrationEnabled = false });
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()), [
            Req(A, V(0.9, GiB), V(1.0, GiB), V(0.9, GiB), p: new Priority(PriorityClass.Guaranteed, 100)),
            Req(B, V(0.0, GiB), V(0.0, GiB), V(0.0, GiB), PlanConstraints.None with { FloorSmShare = 0.3 }, p: new Priority(PriorityClass.BestEffort, 100))]);
        Dump(plan);
        Assert.True(plan.Allocations.Sum(a => a.SmShare) <= 1 + 1e-9);
    }

    [Fact] // WorkConserving ignores policy ceilings
    public void F_LendIgnoresCeiling()
    {
        var planner = new ForecastPlanner(HardCaps with { WorkConserving = true });
        var c = PlanConstraints.None with { CeilingSmShare = 0.25, CeilingVramBytes = 4 * GiB };
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Req(A, V(0.1, GiB), V(0.5, 8 * GiB), V(0.1, GiB), c)]);
        Dump(plan);
        var a = Assert.Single(plan.Allocations);
        Assert.True(a.SmShare <= 0.25 && a.VramQuotaBytes <= 4 * GiB);
    }

    [Fact] // Restore emitted before Suspend: executor restores into memory the suspend would free
    public void F_RestoreBeforeSuspend()
    {
        var node = new SimulatedGpuNode([Gpu(0, 1 * GiB)], new SimulatedCosts());
        node.Step(B, V(0, 600 * MiB), 0);
        Assert.True(node.Execute(new SlowAction(SlowActionKind.Suspend, B, 0, 0, 0, 600 * MiB, 1, "x"), "s").Applied);
        node.Step(A, V(0, 600 * MiB), 0);
        Assert.True(node.Apply(new GpuAllocation(A, 0, 600 * MiB, 600 * MiB, 0.2, 0, 10), "g").Applied);
        node.Step(B, V(0.5, 600 * MiB), 0);

        var planner = new ForecastPlanner(HardCaps with { SuspendAfterSteps = 100 });
        var plan = planner.Plan(new NodeView(500, node.Gpus, node.Grants, node.Suspended), [
            Req(A, V(0, 600 * MiB), V(0, 600 * MiB), V(0, 600 * MiB), t: new DemandTracking(0, 0, 150)),
            Req(B, V(0.5, 600 * MiB), V(0.6, 600 * MiB), V(0.5, 600 * MiB), t: new DemandTracking(0, 0, 0))]);
        Dump(plan);
        int k = 0;
        foreach (var act in plan.Actions)
        {
            var r = node.Execute(act, "a" + k++);
            o.WriteLine($"{act.Kind} {act.App}: applied={r.Applied} {r.Error}");
            Assert.True(r.Applied);
        }
    }

    [Fact] // migration bookkeeping subtracts an app's full likely from a sqrt-combined total
    public void F_MigrationStopsWhileStillHot()
    {
        var planner = new ForecastPlanner(HardCaps);
        var current = new Dictionary<AppId, GpuAllocation>();
        var reqs = new List<PlanRequest>();
        for (int i = 0; i < 6; i++)
        {
            var id = new AppId(10 + i, 1);
            current[id] = new GpuAllocation(id, 0, 12 * GiB, 12 * GiB, 0.1, 0, 10);
            reqs.Add(Req(id, V(0.01, 0), V(0.1, 40 * GiB), V(0.0, 0)));
        }
        var plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current), reqs);
        Dump(plan);
        int left = plan.Allocations.Count(a => a.Gpu == 0);
        double likelyLeft = Math.Sqrt(left) * 40; // Want.Sum with median 0, likely 40 GiB each
        o.WriteLine($"moves={plan.Actions.Count} left on gpu0={left} likely total there={likelyLeft:0.0} GiB of 80");
        Assert.True(likelyLeft <= 80);
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests;

public class ForecastPlannerTests
{
    private static readonly AppId A = new(1, 1);
    private static readonly AppId B = new(2, 1);
    private static readonly Dictionary<AppId, GpuAllocation> None = [];

    [Fact]
    public void Plan_UpperQuantileWithHeadroom_RoundedToChunks()
    {
        // upper VRAM 100 MiB * 1.05 = 105 MiB -> 106 MiB (53 chunks); SM 0.5 * 1.05 = 0.525.
        var planner = new ForecastPlanner(HardCaps);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None),
            [Request(A, new ResourceVector(0.5, 0, 100 * MiB), new ResourceVector(0.2, 0, 10 * MiB), default)]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(106 * MiB, a.VramQuotaBytes);
        Assert.Equal(106 * MiB, a.PremapTargetBytes);
        Assert.Equal(0.525, a.SmShare, 12);
        Assert.Equal(1, a.FromStep);
        Assert.Equal(11, a.UntilStep);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_ForecastBelowHeld_NeverBelowHeld()
    {
        var planner = new ForecastPlanner(HardCaps);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None),
            [Request(A, new ResourceVector(0.1, 0, 1 * MiB), new ResourceVector(0.1, 0, 300 * MiB), default)]);

        Assert.Equal(300 * MiB, Assert.Single(plan.Allocations).VramQuotaBytes);
    }

    [Theory]
    [InlineData(95, 100)] // 95 MiB * 1.05 -> 100 MiB = within 10 % below 100 -> hold
    [InlineData(80, 84)] // 80 * 1.05 = 84 MiB: more than 10 % below 100 -> shrink
    [InlineData(120, 126)] // growth is immediate
    public void Plan_WithCurrentGrantOf100MiB_Hysteresis(ulong upperMiB, ulong expectedMiB)
    {
        var planner = new ForecastPlanner(HardCaps);
        var current = new Dictionary<AppId, GpuAllocation> { [A] = new(A, 0, 100 * MiB, 100 * MiB, 0.5, 0, 10) };
        AllocationPlan plan = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB)], current),
            [Request(A, new ResourceVector(0.5, 0, upperMiB * MiB), default, default)]);

        Assert.Equal(expectedMiB * MiB, Assert.Single(plan.Allocations).VramQuotaBytes);
    }

    // Share hysteresis: 10 % relative (floor 0.45 for a 0.5 grant) or 0.02 absolute, whichever holds more.
    [Theory]
    [InlineData(0.5, 0.50, 0.525)] // want 0.5 * 1.05 = 0.525 > 0.5: grows at once
    [InlineData(0.5, 0.44, 0.5)] // want 0.462 >= 0.45: held
    [InlineData(0.5, 0.30, 0.315)] // want 0.315: 37 % and 0.185 below: shrinks
    [InlineData(0.01, 0.005, 0.01)] // want 0.00525: 48 % below but only 0.00475 absolute: held
    public void Plan_WithCurrentShare_SmHysteresis(double currentShare, double upper, double expected)
    {
        var planner = new ForecastPlanner(HardCaps);
        var current = new Dictionary<AppId, GpuAllocation> { [A] = new(A, 0, 100 * MiB, 100 * MiB, currentShare, 0, 10) };
        AllocationPlan plan = planner.Plan(new NodeView(5, [Gpu(0, 80 * GiB)], current),
            [Request(A, new ResourceVector(upper, 0, 100 * MiB), default, default)]);

        Assert.Equal(expected, Assert.Single(plan.Allocations).SmShare, 12);
    }

    [Fact]
    public void Plan_GpuTooSmall_HigherPriorityServedFirstAndShortfallReturned()
    {
        // 1 GiB GPU; each wants 600 MiB * 1.05 = 630 MiB. B (guaranteed) first: 630; A gets the 394 MiB left.
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1 });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 1 * GiB)], None),
        [
            Request(A, new ResourceVector(0.3, 0, 600 * MiB), default, default),
            Request(B, new ResourceVector(0.3, 0, 600 * MiB), default, default, new Priority(PriorityClass.Guaranteed, 1)),
        ]);

        Assert.Equal(630 * MiB, plan.Allocations.Single(a => a.App == B).VramQuotaBytes);
        Assert.Equal(394 * MiB, plan.Allocations.Single(a => a.App == A).VramQuotaBytes);
        Shortfall s = Assert.Single(plan.Shortfalls);
        Assert.Equal(A, s.App);
        Assert.Equal(630 * MiB, s.WantedVramBytes);
        Assert.Contains("GPU 0 is full", s.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_EqualPriorityOverSm_SharesScaledProportionally()
    {
        // Each wants 0.8 * 1.05 = 0.84; together 1.68 > 1.0 -> each gets 0.84 / 1.68 = 0.5.
        var planner = new ForecastPlanner(HardCaps);
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 80 * GiB)], None),
        [
            Request(A, new ResourceVector(0.8, 0, MiB), default, default),
            Request(B, new ResourceVector(0.8, 0, MiB), default, default),
        ]);

        Assert.All(plan.Allocations, a => Assert.Equal(0.5, a.SmShare, 12));
        Assert.Equal(2, plan.Shortfalls.Count);
    }

    [Fact]
    public void Plan_TwoGpusWithoutOversubscription_NewAppsSpreadByFreeMemory()
    {
        var planner = new ForecastPlanner(HardCaps with { MaxOversubscription = 1 });
        AllocationPlan plan = planner.Plan(new NodeView(1, [Gpu(0, 10 * GiB), Gpu(1, 10 * GiB)], None),
        [
            Request(A, new ResourceVector(0.3, 0, 6 * GiB), default, default),
            Request(B, new ResourceVector(0.3, 0, 6 * GiB), default, default),
        ]);

        Assert.NotEqual(plan.Allocations[0].Gpu, plan.Allocations[1].Gpu);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Options_OutOfRange_NameTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ForecastPlanner(HardCaps with { UpperQuantile = 1.0 }));
        Assert.Equal("UpperQuantile", e.ParamName);
    }
}

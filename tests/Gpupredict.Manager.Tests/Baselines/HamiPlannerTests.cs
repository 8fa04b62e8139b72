using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning.Baselines;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests.Baselines;

public class HamiPlannerTests
{
    [Theory]
    [InlineData(11.9, 12)]
    [InlineData(12.0, 12)]
    [InlineData(0.001, 1)]
    [InlineData(0, 1)]
    public void DeclaredVramBytes_Peak_RoundedUpToWholeGiB(double peakGiB, ulong expectedGiB) =>
        Assert.Equal(expectedGiB * GiB, HamiPlanner.DeclaredVramBytes(peakGiB * GiB));

    [Theory]
    [InlineData(0.37, 0.4)]
    [InlineData(0.3, 0.3)] // 0.3 * 10 is 3.0000000000000004 in doubles: still 30 %
    [InlineData(0.99, 1.0)]
    [InlineData(0.0, 0.1)]
    public void DeclaredSmShare_Peak_RoundedUpToTenPercent(double peak, double expected) =>
        Assert.Equal(expected, HamiPlanner.DeclaredSmShare(peak), 12);

    [Fact]
    public void Plan_NewApp_GetsDeclarationWithoutPremap()
    {
        var app = new AppId(1, 1);
        AllocationPlan plan = new HamiPlanner().Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Request(app, new ResourceVector(0.1, 0, MiB), new ResourceVector(0.1, 0, MiB), new ResourceVector(0.37, 0, 11.9 * GiB))]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(12 * GiB, a.VramQuotaBytes);
        Assert.Equal(0UL, a.PremapTargetBytes);
        Assert.Equal(0.4, a.SmShare, 12);
        Assert.Equal(long.MaxValue, a.UntilStep);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_GrantInForce_NeverChangedWhateverTheForecastOrUse()
    {
        var app = new AppId(1, 1);
        var current = new GpuAllocation(app, 0, 2 * GiB, 0, 0.3, 1, long.MaxValue);
        AllocationPlan plan = new HamiPlanner().Plan(new NodeView(50, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation> { [app] = current }),
            [Request(app, new ResourceVector(0.9, 0, 30 * GiB), new ResourceVector(0.9, 0, 3 * GiB), new ResourceVector(1, 0, 40 * GiB))]);

        Assert.Equal(current, Assert.Single(plan.Allocations));
    }

    [Fact]
    public void Plan_NewApps_BinpackOntoMostLoadedGpuThatFits()
    {
        // GPU 1 holds a 10 GiB / 30 % app; a 20 GiB / 50 % newcomer fits there, so it goes there, not
        // to the empty GPU 0. A second newcomer of 60 GiB no longer fits on GPU 1 (30 + 60 > 80): GPU 0.
        var old = new AppId(1, 1);
        var small = new AppId(2, 1);
        var big = new AppId(3, 1);
        var current = new Dictionary<AppId, GpuAllocation> { [old] = new(old, 1, 10 * GiB, 0, 0.3, 1, long.MaxValue) };
        var none = ResourceVector.Zero;
        AllocationPlan plan = new HamiPlanner().Plan(new NodeView(2, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], current),
        [
            Request(old, none, none, new ResourceVector(0.3, 0, 10 * GiB)),
            Request(small, none, none, new ResourceVector(0.5, 0, 20 * GiB)),
            Request(big, none, none, new ResourceVector(0.2, 0, 60 * GiB)),
        ]);

        Assert.Equal(1, plan.Allocations.Single(a => a.App == small).Gpu);
        Assert.Equal(0, plan.Allocations.Single(a => a.App == big).Gpu);
        Assert.Empty(plan.Shortfalls);
    }

    [Fact]
    public void Plan_NothingFits_MostRoomAndShortfall()
    {
        var a = new AppId(1, 1);
        var b = new AppId(2, 1);
        var current = new Dictionary<AppId, GpuAllocation> { [a] = new(a, 0, 70 * GiB, 0, 0.5, 1, long.MaxValue) };
        AllocationPlan plan = new HamiPlanner().Plan(new NodeView(2, [Gpu(0, 80 * GiB)], current),
        [
            Request(a, ResourceVector.Zero, ResourceVector.Zero, new ResourceVector(0.5, 0, 70 * GiB)),
            Request(b, ResourceVector.Zero, ResourceVector.Zero, new ResourceVector(0.4, 0, 20 * GiB)),
        ]);

        GpuAllocation got = plan.Allocations.Single(x => x.App == b);
        Assert.Equal(10 * GiB, got.VramQuotaBytes);
        Assert.Equal(0.4, got.SmShare, 12);
        Shortfall s = Assert.Single(plan.Shortfalls);
        Assert.Equal(20 * GiB, s.WantedVramBytes);
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests.Baselines;

public class ReactivePlannerTests
{
    [Fact]
    public void Plan_TopLevel_GrantedWithoutHeadroomOrPremap()
    {
        var app = new AppId(1, 1);
        AllocationPlan plan = new ReactivePlanner().Plan(new NodeView(5, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Request(app, new ResourceVector(0.46, 0, (100 * MiB) + 1), new ResourceVector(0.2, 0, 50 * MiB), new ResourceVector(1, 0, 8 * GiB))]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(102 * MiB, a.VramQuotaBytes); // 100 MiB + 1 B rounded up to 2 MiB chunks, no margin of its own
        Assert.Equal(0UL, a.PremapTargetBytes);
        Assert.Equal(0.46, a.SmShare);
        Assert.Equal(105, a.UntilStep);
    }

    [Fact]
    public void Plan_ForecastBelowHeld_KeepsHeldMemory()
    {
        var app = new AppId(1, 1);
        AllocationPlan plan = new ReactivePlanner().Plan(new NodeView(5, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Request(app, new ResourceVector(0.1, 0, 10 * MiB), new ResourceVector(0.1, 0, 64 * MiB), new ResourceVector(0.1, 0, 64 * MiB))]);

        Assert.Equal(64 * MiB, Assert.Single(plan.Allocations).VramQuotaBytes);
    }

    [Theory]
    [InlineData("reactive", typeof(ReactivePlanner))]
    [InlineData("hami", typeof(HamiPlanner))]
    [InlineData("oracle", typeof(OraclePlanner))]
    public void Create_BaselineName_MakesThatPlanner(string name, Type type)
    {
        IPlanner planner = Planners.Create(name);

        Assert.IsType(type, planner);
        Assert.Equal(name, planner.Name);
        Assert.Contains(name, Planners.Names);
    }
}

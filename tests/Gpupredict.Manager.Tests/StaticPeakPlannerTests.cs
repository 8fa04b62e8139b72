using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests;

public class StaticPeakPlannerTests
{
    [Fact]
    public void Plan_Peak_GrantedForWholeRunWithoutPremap()
    {
        var app = new AppId(3, 3);
        AllocationPlan plan = new StaticPeakPlanner().Plan(new NodeView(1, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Request(app, new ResourceVector(0.1, 0, MiB), new ResourceVector(0.1, 0, MiB), new ResourceVector(0.7, 0, (5 * MiB) + 1))]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(6 * MiB, a.VramQuotaBytes);
        Assert.Equal(0UL, a.PremapTargetBytes);
        Assert.Equal(0.7, a.SmShare);
        Assert.Equal(long.MaxValue, a.UntilStep);
    }

    [Fact]
    public void Create_UnknownName_ListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Planners.Create("magic"));
        Assert.Contains("static-peak, forecast", e.Message, StringComparison.Ordinal);
    }
}

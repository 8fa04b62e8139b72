using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning.Baselines;
using static Gpupredict.Manager.Tests.PlannerTestData;

namespace Gpupredict.Manager.Tests.Baselines;

public class OraclePlannerTests
{
    /// <summary>A point-mass forecast: SM 0.1 × (h + 1), VRAM 10 MiB × (h + 1) at both levels.</summary>
    private static Forecast Rising(AppId app, int horizon)
    {
        var values = new List<double>();
        for (int h = 0; h < horizon; h++)
        {
            for (int q = 0; q < 2; q++)
            {
                values.AddRange([0.1 * (h + 1), 0, 10.0 * MiB * (h + 1)]);
            }
        }

        return new Forecast(app, 0, horizon, [0.5, 0.99], [.. values]);
    }

    [Theory]
    [InlineData(1, 0.1, 10)]
    [InlineData(3, 0.3, 30)]
    public void Plan_Window_GrantsExactMaxOfFutureAndPremapsIt(int window, double sm, ulong vramMiB)
    {
        var app = new AppId(1, 1);
        var request = new PlanRequest(app, Priority.Default, Rising(app, 10), new ResourceVector(0.9, 0, 64 * MiB), new ResourceVector(1, 0, 100 * MiB));

        AllocationPlan plan = new OraclePlanner(window).Plan(new NodeView(7, [Gpu(0, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()), [request]);

        GpuAllocation a = Assert.Single(plan.Allocations);
        Assert.Equal(vramMiB * MiB, a.VramQuotaBytes);
        Assert.Equal(a.VramQuotaBytes, a.PremapTargetBytes);
        Assert.Equal(sm, a.SmShare, 12);
        Assert.Equal(7 + window, a.UntilStep);
    }

    [Fact]
    public void Plan_Newcomers_PlacedByLifetimePeakNotByNextStep()
    {
        // Both are idle in their next step; their lifetime peaks (0.9 SM each) would not share a GPU.
        var a = new AppId(1, 1);
        var b = new AppId(2, 1);
        var peak = new ResourceVector(0.9, 0, GiB);
        AllocationPlan plan = new OraclePlanner().Plan(new NodeView(1, [Gpu(0, 80 * GiB), Gpu(1, 80 * GiB)], new Dictionary<AppId, GpuAllocation>()),
            [Request(a, ResourceVector.Zero, ResourceVector.Zero, peak), Request(b, ResourceVector.Zero, ResourceVector.Zero, peak)]);

        Assert.NotEqual(plan.Allocations.Single(x => x.App == a).Gpu, plan.Allocations.Single(x => x.App == b).Gpu);
    }
}

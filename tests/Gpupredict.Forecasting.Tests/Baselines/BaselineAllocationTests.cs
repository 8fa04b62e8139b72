using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class BaselineAllocationTests
{
    [Theory]
    [InlineData(LastValueForecaster.PolicyName)]
    [InlineData(VpaForecaster.PolicyName)]
    [InlineData(AutopilotForecaster.PeakPolicyName)]
    [InlineData(AutopilotForecaster.PercentilePolicyName)]
    public void Observe_WarmApp_AllocatesNothing(string name)
    {
        IForecaster f = Forecasters.Create(name, 4, [0.1, 0.5, 0.9]);
        var app = new AppId(50, 1);
        // Warm up: the per-app state is created here, and VRAM rises so VPA's OOM path runs too.
        for (int t = 0; t < 100; t++)
        {
            f.Observe(app, t, new ResourceVector(0.01 * t, 1e7 * t, 1e8 * t));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 100; t < 3100; t++)
        {
            f.Observe(app, t, new ResourceVector(t % 7 / 7.0, 1e7 * (t % 13), 1e8 * (t % 100)));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

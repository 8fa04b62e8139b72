using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;

namespace Gpupredict.Manager.Tests;

/// <summary>Small hand-made inputs for planner tests.</summary>
internal static class PlannerTestData
{
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;

    /// <summary>
    /// Hard caps, oversubscription up to 1.5 and suspension after 5 min: the planner's defaults before
    /// they became the built-in node policy's (work-conserving, neither of the other two). The tests
    /// written for those mechanisms keep them on.
    /// </summary>
    public static ForecastPlannerOptions HardCaps { get; } = new() { WorkConserving = false, MaxOversubscription = 1.5, SuspendAfterSteps = 30_000 };

    public static GpuCapacity Gpu(int index, ulong vramBytes) => new(index, "test-gpu", new ResourceVector(1.0, 1e12, vramBytes));

    /// <summary>A flat forecast with levels 0.5 and 0.99: the median and upper values for every step.</summary>
    public static Forecast Flat(AppId app, int horizon, ResourceVector median, ResourceVector upper)
    {
        var values = new List<double>();
        for (int h = 0; h < horizon; h++)
        {
            values.AddRange([median.SmFraction, median.BandwidthBytesPerSecond, median.VramBytes, upper.SmFraction, upper.BandwidthBytesPerSecond, upper.VramBytes]);
        }

        return new Forecast(app, 0, horizon, [0.5, 0.99], [.. values]);
    }

    public static PlanRequest Request(AppId app, ResourceVector upper, ResourceVector current, ResourceVector peak, Priority? priority = null) =>
        new(app, priority ?? Priority.Default, Flat(app, 10, ResourceVector.Zero, upper), current, peak);
}

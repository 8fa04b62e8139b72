using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>Small sums over events and series used by the fact tests.</summary>
internal static class Digest
{
    public static int Count(TraceProcess process, GpuEventKind kind) => process.Events.Count(e => e.Kind == kind);

    public static ulong Bytes(TraceProcess process, GpuEventKind kind) =>
        process.Events.Where(e => e.Kind == kind).Aggregate(0UL, static (sum, e) => sum + e.Bytes);

    public static double Sum(DemandSeries series, Resource resource)
    {
        double sum = 0;
        foreach (double v in series.Values(resource))
        {
            sum += v;
        }

        return sum;
    }
}

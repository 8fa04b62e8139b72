using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Training.Tests.Support;

/// <summary>Small hand-written demand series.</summary>
internal static class Series
{
    public const ObservedSignals All = ObservedSignals.SmFromGpuIntervals | ObservedSignals.BandwidthFromCopies | ObservedSignals.VramFromAllocations;

    /// <summary>A series with only VRAM observed (the other resources 0).</summary>
    public static DemandSeries Vram(int pid, params double[] bytes) =>
        new(new AppId(pid, 1), $"vram-{pid}", 0, new double[bytes.Length], new double[bytes.Length], bytes, ObservedSignals.VramFromAllocations);

    /// <summary>A series with every resource observed and different, varying values in each.</summary>
    public static DemandSeries Varying(int pid, int steps)
    {
        double[] sm = new double[steps];
        double[] bw = new double[steps];
        double[] vram = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            sm[i] = ((i * 7) % 10) / 10.0;
            bw[i] = 1e9 * ((i * 3) % 5);
            vram[i] = 1e6 * (i + pid);
        }

        return new DemandSeries(new AppId(pid, 1), $"varying-{pid}", 0, sm, bw, vram, All);
    }
}

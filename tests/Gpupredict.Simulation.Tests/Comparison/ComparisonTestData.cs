using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Tests.Comparison;

/// <summary>Small hand-made applications for comparison tests.</summary>
internal static class ComparisonTestData
{
    public const double MiB = 1 << 20;

    public const ObservedSignals SmAndVram = ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations;

    /// <summary>An application with the given SM and VRAM (MiB) per step; bandwidth zero.</summary>
    public static ReplayApp App(int pid, double[] sm, double[] vramMiB, long start = 0) =>
        new(new DemandSeries(new AppId(pid, 1), $"app-{pid}", 0, sm, new double[sm.Length], vramMiB.Select(v => v * MiB).ToArray(), SmAndVram), Priority.Default, start);

    /// <summary>
    /// Two applications on one GPU: A (SM 0.2, 0.6, 0.4; 10 MiB) from step 0, B (SM 0.2 × 3; 4 MiB)
    /// from step 1. The node runs steps 0..3 with 1, 2, 2, 1 applications.
    /// </summary>
    public static ReplayApp[] Pair() =>
    [
        App(1, [0.2, 0.6, 0.4], [10, 10, 10]),
        App(2, [0.2, 0.2, 0.2], [4, 4, 4], start: 1),
    ];
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Tests.Gbm;

/// <summary>Series with an obvious pattern: a 5-step SM burst every 20 steps with a copy at its start, VRAM ramping with resets.</summary>
internal static class GbmTestSeries
{
    public static DemandSeries PeriodicBursts(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        var bw = new double[steps];
        var vram = new double[steps];
        double held = 1e9;
        for (int i = 0; i < steps; i++)
        {
            sm[i] = i % 20 < 5 ? 0.8 + (0.2 * rng.NextDouble()) : 0.05 * rng.NextDouble();
            bw[i] = i % 20 == 0 ? 4e9 + (1e9 * rng.NextDouble()) : 0;
            held = i % 100 == 99 ? 1e9 : held + (rng.NextDouble() * 1e7);
            vram[i] = held;
        }

        return new DemandSeries(new AppId(pid, 1), $"bursts{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals);
    }
}

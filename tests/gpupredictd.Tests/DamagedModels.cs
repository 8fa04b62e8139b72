using System.Security.Cryptography;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Gbm;

namespace Gpupredict.Daemon.Tests;

/// <summary>Saved forecasters damaged the ways a daemon must survive.</summary>
internal static class DamagedModels
{
    /// <summary>A small GBM fitted on two periodic series and saved, its first tree renamed "Xree=0", the checksum recomputed.</summary>
    public static byte[] GbmWithXree0()
    {
        var gbm = new GbmQuantileForecaster(10, [0.5, 0.99], new GbmOptions { Rounds = 5, MaxRows = 500 });
        gbm.Fit([Periodic(1), Periodic(2)], 1);
        using var buffer = new MemoryStream();
        gbm.Save(buffer);
        byte[] file = buffer.ToArray();
        file[file.AsSpan().IndexOf("Tree=0"u8)] = (byte)'X';
        SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
        return file;
    }

    private static DemandSeries Periodic(int pid)
    {
        const int Steps = 300;
        var sm = new double[Steps];
        var bandwidth = new double[Steps];
        var vram = new double[Steps];
        for (int i = 0; i < Steps; i++)
        {
            sm[i] = (i + pid) % 20 < 5 ? 0.9 : 0.1;
            vram[i] = 1e9 + (i % 50 * 1e7);
        }

        return new DemandSeries(new AppId(pid, 1), $"app{pid}", 0, sm, bandwidth, vram, ObservedSignals.SmFromGpuIntervals);
    }
}

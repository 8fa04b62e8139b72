using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>
/// Seeded random event mixes for comparing aggregators: overlapping and touching kernels on several
/// streams, copies and memsets across step boundaries, allocations freed with and without a size,
/// failed calls and host calls; times in ns after <see cref="Events.BaseNs"/>, sorted by start (stably).
/// </summary>
internal static class RandomTrace
{
    private static readonly GpuEventKind[] Kinds =
    [
        GpuEventKind.KernelExec, GpuEventKind.KernelExec, GpuEventKind.KernelExec, GpuEventKind.KernelLaunch,
        GpuEventKind.MemcpyHtoD, GpuEventKind.MemcpyDtoH, GpuEventKind.MemcpyDtoD, GpuEventKind.Memset,
        GpuEventKind.Alloc, GpuEventKind.AllocAsync, GpuEventKind.Free, GpuEventKind.FreeAsync, GpuEventKind.SyncStream,
    ];

    /// <summary><paramref name="count"/> events within about <paramref name="spanMs"/> ms, sorted by start.</summary>
    public static GpuEvent[] Sorted(int seed, int count, double spanMs)
    {
        var random = new Random(seed);
        var addresses = new List<ulong>();
        var events = new GpuEvent[count];
        ulong span = (ulong)(spanMs * 1_000_000);
        for (int i = 0; i < count; i++)
        {
            GpuEventKind kind = Kinds[random.Next(Kinds.Length)];

            // Coarse starts make ties and touching intervals common; a few long ones cross many steps.
            ulong start = Events.BaseNs + ((ulong)random.NextInt64((long)span / 250_000) * 250_000) + (ulong)(random.Next(4) == 0 ? random.Next(1000) : 0);
            ulong length = random.Next(20) == 0 ? (ulong)random.NextInt64(50_000_000) : (ulong)random.Next(4) * 500_000;
            var e = new GpuEvent { TimestampNs = start, EndNs = start + length, Kind = kind, Stream = (ulong)random.Next(3) };
            if (random.Next(15) == 0)
            {
                e.Flags |= GpuEventFlags.Failed;
            }

            if (kind.IsTransfer())
            {
                e.Bytes = random.Next(10) == 0 ? 0 : (ulong)random.NextInt64(1, 1L << 32);
            }
            else if (kind.IsDeviceAlloc())
            {
                e.EndNs = start;
                e.Address = 0x1000 + ((ulong)random.Next(64) * 0x100);
                e.Bytes = (ulong)random.NextInt64(1, 1L << 34);
                addresses.Add(e.Address);
            }
            else if (kind.IsDeviceFree())
            {
                e.EndNs = start;
                e.Address = addresses.Count > 0 && random.Next(5) > 0 ? addresses[random.Next(addresses.Count)] : 0x1000 + ((ulong)random.Next(64) * 0x100);
                e.Bytes = random.Next(3) == 0 ? (ulong)random.NextInt64(1L << 34) : 0;
            }

            events[i] = e;
        }

        // Stable by start: OrderBy is stable.
        return [.. events.OrderBy(static e => e.TimestampNs)];
    }
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// Counts one process's events into the <see cref="ActivityChannel"/> values of the step where each
/// starts. Calls count whether or not they failed (a failing allocation loop is behaviour worth seeing);
/// GPU operations count only when they ran. Allocated and freed bytes are what the <see cref="VramLedger"/>
/// booked, so frees without a size are paired by address.
/// </summary>
internal static class ActivityCounter
{
    /// <summary>
    /// Counts <paramref name="e"/> into <paramref name="step"/> (the <see cref="ActivitySeries.Channels"/>
    /// values of its step); <paramref name="vramChange"/> is what the ledger booked for it, bytes.
    /// </summary>
    public static void Add(Span<double> step, in GpuEvent e, long vramChange)
    {
        bool ran = (e.Flags & GpuEventFlags.Failed) == 0;
        switch (e.Kind)
        {
            case GpuEventKind.KernelLaunch:
                Bump(step, ActivityChannel.Launches, 1);
                break;
            case GpuEventKind.KernelExec when ran:
                Bump(step, ActivityChannel.Kernels, 1);
                break;
            case GpuEventKind.SyncContext or GpuEventKind.SyncStream or GpuEventKind.SyncEvent:
                Bump(step, ActivityChannel.Synchronizations, 1);
                break;
            case var k when k.IsDeviceAlloc():
                Bump(step, ActivityChannel.Allocations, 1);
                Bump(step, ActivityChannel.AllocatedBytes, Math.Max(0, vramChange));
                break;
            case var k when k.IsDeviceFree():
                Bump(step, ActivityChannel.Frees, 1);
                Bump(step, ActivityChannel.FreedBytes, Math.Max(0, -vramChange));
                break;
            case var k when k.IsTransfer() && ran:
                Bump(step, ActivityChannel.Transfers, 1);
                Bump(step, DirectionOf(k), e.Bytes);
                break;
            default:
                break;
        }
    }

    private static ActivityChannel DirectionOf(GpuEventKind kind) => kind switch
    {
        GpuEventKind.MemcpyHtoD => ActivityChannel.HostToDeviceBytes,
        GpuEventKind.MemcpyDtoH => ActivityChannel.DeviceToHostBytes,
        GpuEventKind.Memset => ActivityChannel.MemsetBytes,

        // Device to device, peer, and the rare host-to-host copy through the driver.
        _ => ActivityChannel.DeviceToDeviceBytes,
    };

    private static void Bump(Span<double> step, ActivityChannel channel, double amount) => step[(int)channel] += amount;
}

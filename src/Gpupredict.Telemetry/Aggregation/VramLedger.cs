using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// Tracks device bytes held from allocation and free events in time order. A free without a size
/// releases what the allocation at the same address took; a free of unknown memory releases nothing;
/// the total never goes below zero. Failed calls change nothing.
/// </summary>
internal sealed class VramLedger
{
    private readonly Dictionary<ulong, ulong> _liveByAddress = [];

    /// <summary>Bytes held now.</summary>
    public ulong Held { get; private set; }

    /// <summary>Applies <paramref name="e"/> and returns the change of <see cref="Held"/> in bytes (0 for other kinds).</summary>
    public long Apply(in GpuEvent e)
    {
        if ((e.Flags & GpuEventFlags.Failed) != 0)
        {
            return 0;
        }

        if (e.Kind.IsDeviceAlloc())
        {
            if (e.Address != 0 && e.Bytes > 0)
            {
                _liveByAddress[e.Address] = e.Bytes;
            }

            Held += e.Bytes;
            return (long)e.Bytes;
        }

        if (!e.Kind.IsDeviceFree())
        {
            return 0;
        }

        ulong size = e.Bytes;
        if (e.Address != 0 && _liveByAddress.Remove(e.Address, out ulong allocated) && size == 0)
        {
            size = allocated;
        }

        size = Math.Min(size, Held);
        Held -= size;
        return -(long)size;
    }
}

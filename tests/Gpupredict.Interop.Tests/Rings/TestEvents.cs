using Gpupredict.Core.Events;

namespace Gpupredict.Interop.Tests.Rings;

/// <summary>Well-formed events whose CorrelationId carries a sequence number.</summary>
internal static class TestEvents
{
    /// <summary>A kernel launch numbered <paramref name="sequence"/>: ts = 1000 + 10 x seq, 5 ns long, device 0.</summary>
    public static GpuEvent Numbered(ulong sequence, int pid = EventRingWriter.DefaultPid, uint tid = 1) => new()
    {
        TimestampNs = 1000 + (10 * sequence),
        EndNs = 1005 + (10 * sequence),
        CorrelationId = sequence,
        Pid = (uint)pid,
        Tid = tid,
        Kind = GpuEventKind.KernelLaunch,
        Device = 0,
        GridX = 1,
        GridY = 1,
        GridZ = 1,
        BlockX = 128,
        BlockY = 1,
        BlockZ = 1,
    };
}

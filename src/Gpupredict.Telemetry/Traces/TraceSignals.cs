using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>Derives a trace's <see cref="ObservedSignals"/> from the events it actually holds.</summary>
internal static class TraceSignals
{
    /// <summary>
    /// SM from GPU intervals when a kernel execution with GPU timestamps exists (or SM estimated when
    /// only estimated ones do); bandwidth from copies when a memcpy or memset exists; VRAM from
    /// allocations when a device allocation with a known size exists.
    /// </summary>
    public static ObservedSignals Observe(IEnumerable<TraceProcess> processes)
    {
        ObservedSignals observed = ObservedSignals.None;
        foreach (TraceProcess process in processes)
        {
            foreach (ref readonly GpuEvent e in process.Events.AsSpan())
            {
                observed |= Of(e);
            }
        }

        return observed;
    }

    /// <summary>Adds a sentence for SM and bandwidth when <paramref name="observed"/> lacks them (VRAM is the importers' own to explain).</summary>
    public static void DescribeMissing(ObservedSignals observed, List<string> limitations)
    {
        if ((observed & (ObservedSignals.SmFromGpuIntervals | ObservedSignals.SmEstimated)) == 0)
        {
            limitations.Add("No GPU kernel execution rows: SM busy fraction is not observed (reported as 0).");
        }

        if ((observed & ObservedSignals.BandwidthFromCopies) == 0)
        {
            limitations.Add("No memcpy or memset rows: bandwidth is not observed (reported as 0).");
        }
    }

    private static ObservedSignals Of(in GpuEvent e)
    {
        if (e.Kind == GpuEventKind.KernelExec)
        {
            return (e.Flags & GpuEventFlags.GpuTime) != 0 ? ObservedSignals.SmFromGpuIntervals : ObservedSignals.SmEstimated;
        }

        if (e.Kind.IsTransfer())
        {
            return ObservedSignals.BandwidthFromCopies;
        }

        return e.Kind.IsDeviceAlloc() && e.Bytes > 0 ? ObservedSignals.VramFromAllocations : ObservedSignals.None;
    }
}

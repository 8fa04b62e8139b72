using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>Hand-made events for aggregator tests; times are in ms after <see cref="BaseNs"/> (a multiple of 10 ms).</summary>
internal static class Events
{
    public const ulong BaseNs = 5_000_000_000;

    public static ulong Ms(double ms) => BaseNs + (ulong)Math.Round(ms * 1_000_000);

    public static GpuEvent Kernel(double startMs, double endMs, ulong stream = 7) => new()
    {
        TimestampNs = Ms(startMs),
        EndNs = Ms(endMs),
        Stream = stream,
        Kind = GpuEventKind.KernelExec,
        Flags = GpuEventFlags.GpuTime,
    };

    public static GpuEvent Copy(double startMs, double endMs, ulong bytes, GpuEventKind kind = GpuEventKind.MemcpyHtoD) => new()
    {
        TimestampNs = Ms(startMs),
        EndNs = Ms(endMs),
        Bytes = bytes,
        Kind = kind,
        Flags = GpuEventFlags.GpuTime,
    };

    public static GpuEvent Alloc(double atMs, ulong bytes, ulong address, GpuEventFlags flags = GpuEventFlags.None) => new()
    {
        TimestampNs = Ms(atMs),
        EndNs = Ms(atMs),
        Bytes = bytes,
        Address = address,
        Kind = GpuEventKind.Alloc,
        Flags = flags,
    };

    public static GpuEvent Free(double atMs, ulong address, ulong bytes = 0) => new()
    {
        TimestampNs = Ms(atMs),
        EndNs = Ms(atMs),
        Bytes = bytes,
        Address = address,
        Kind = GpuEventKind.Free,
    };

    public static TraceProcess Process(int pid, params GpuEvent[] events) => new(new AppId(pid, BaseNs), $"p{pid}", events);

    public static ImportedTrace Trace(ObservedSignals observed, params TraceProcess[] processes) =>
        new("hand-made", "test", processes, observed, []);

    public static ImportedTrace Trace(params GpuEvent[] events) =>
        Trace(ObservedSignals.SmFromGpuIntervals | ObservedSignals.BandwidthFromCopies | ObservedSignals.VramFromAllocations, Process(1, events));
}

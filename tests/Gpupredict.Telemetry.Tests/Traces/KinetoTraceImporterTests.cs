using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Kineto;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>The Kineto mapping on small hand-written traces whose every field is known.</summary>
public sealed class KinetoTraceImporterTests : IDisposable
{
    private const string TwoProcesses = """
        {"traceEvents": [
          {"ph": "M", "name": "process_name", "pid": 100, "tid": 0, "ts": 0, "args": {"name": "trainer"}},
          {"ph": "M", "name": "process_name", "pid": 200, "tid": 0, "ts": 0, "args": {"name": "server"}},
          {"ph": "X", "cat": "Trace", "name": "span", "pid": "Spans", "tid": "x", "ts": 900, "dur": 1000},
          {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 100, "tid": 101, "ts": 1000.5, "dur": 2, "args": {"correlation": 1}},
          {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 200, "tid": 201, "ts": 1001, "dur": 2, "args": {"correlation": 2}},
          {"ph": "X", "cat": "kernel", "name": "k1", "pid": 0, "tid": 7, "ts": 1010.001, "dur": 5.5,
           "args": {"device": 0, "stream": 7, "correlation": 1, "grid": [4, 2, 1], "block": [128, 1, 1], "shared memory": 256}},
          {"ph": "X", "cat": "kernel", "name": "k2", "pid": 1, "tid": 9, "ts": 1011, "dur": 3, "args": {"device": 1, "stream": 9, "correlation": 2}},
          {"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy DtoH (Device -> Pinned)", "pid": 0, "tid": 7, "ts": 1020, "dur": 1,
           "args": {"device": 0, "stream": 7, "correlation": 1, "bytes": 4096}},
          {"ph": "f", "cat": "ac2g", "name": "ac2g", "id": 1, "pid": 0, "tid": 7, "ts": 1010}
        ]}
        """;

    // Ev Idx 4 is written before Ev Idx 3 at the same ts: the importer must follow Ev Idx.
    private const string Memory = """
        {"traceEvents": [
          {"ph": "X", "cat": "cpu_op", "name": "aten::empty", "pid": 100, "tid": 101, "ts": 50, "dur": 1},
          {"ph": "i", "cat": "cpu_instant_event", "name": "[memory]", "pid": 100, "tid": 101, "ts": 100,
           "args": {"Device Type": 1, "Device Id": 0, "Addr": 4096, "Bytes": 1000, "Total Allocated": 5000, "Total Reserved": 20000, "Ev Idx": 1}},
          {"ph": "i", "cat": "cpu_instant_event", "name": "[memory]", "pid": 100, "tid": 101, "ts": 200,
           "args": {"Device Type": 1, "Device Id": 0, "Addr": 8192, "Bytes": 3000, "Total Allocated": 8000, "Total Reserved": 40000, "Ev Idx": 2}},
          {"ph": "i", "cat": "cpu_instant_event", "name": "[memory]", "pid": 100, "tid": 101, "ts": 300,
           "args": {"Device Type": 1, "Device Id": 0, "Addr": 8192, "Bytes": -3000, "Total Allocated": 4000, "Total Reserved": 30000, "Ev Idx": 4}},
          {"ph": "i", "cat": "cpu_instant_event", "name": "[memory]", "pid": 100, "tid": 101, "ts": 300,
           "args": {"Device Type": 1, "Device Id": 0, "Addr": 4096, "Bytes": -1000, "Total Allocated": 7000, "Total Reserved": 40000, "Ev Idx": 3}},
          {"ph": "i", "cat": "cpu_instant_event", "name": "[memory]", "pid": 100, "tid": 101, "ts": 300,
           "args": {"Device Type": 0, "Device Id": -1, "Addr": 77, "Bytes": 8, "Total Allocated": 8, "Total Reserved": 0, "Ev Idx": 5}}
        ]}
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Import_GpuRows_AttributedToHostProcessByCorrelation()
    {
        ImportedTrace trace = Load(TwoProcesses);

        Assert.Equal([100, 200], trace.Processes.Select(static p => p.App.Pid));
        Assert.Equal(["trainer", "server"], trace.Processes.Select(static p => p.Name));
        TraceProcess trainer = trace.Processes[0];
        Assert.Equal([GpuEventKind.KernelLaunch, GpuEventKind.KernelExec, GpuEventKind.MemcpyDtoH], trainer.Events.Select(static e => e.Kind));
        Assert.Equal(GpuEventKind.KernelExec, Assert.Single(trace.Processes[1].Events, static e => e.Device == 1).Kind);
    }

    [Fact]
    public void Import_KernelRow_MapsEveryField()
    {
        GpuEvent k = Load(TwoProcesses).Processes[0].Events[1];

        // ts 1010.001 µs and dur 5.5 µs, to the nanosecond.
        Assert.Equal(1_010_001UL, k.TimestampNs);
        Assert.Equal(1_015_501UL, k.EndNs);
        Assert.Equal((4u, 2u, 1u), (k.GridX, k.GridY, k.GridZ));
        Assert.Equal((128u, 1u, 1u), (k.BlockX, k.BlockY, k.BlockZ));
        Assert.Equal(256u, k.SharedMemBytes);
        Assert.Equal((7UL, 1UL, 0, 100u), (k.Stream, k.CorrelationId, k.Device, k.Pid));
        Assert.Equal(GpuEventFlags.GpuTime, k.Flags);
    }

    [Fact]
    public void Import_AppStartTime_IsFirstTimestampOfTrace()
    {
        // The profiler span row (pid "Spans", ts 900) is not a process; the first event is at 1000.5 µs.
        ImportedTrace trace = Load(TwoProcesses);
        Assert.All(trace.Processes, static p => Assert.Equal(1_000_500UL, p.App.StartTime));
        Assert.DoesNotContain(trace.Limitations, static l => l.Contains("1 µs resolution", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_MemoryReservedView_FollowsTotalReservedInEvIdxOrder()
    {
        // Reserved: 20000 already held when the trace starts (cpu_op at 50 µs; Estimated), +20000 at 200 µs,
        // unchanged by Ev 3, -10000 by Ev 4 -> 30000 held. Host memory (Device Type 0) is ignored.
        ImportedTrace trace = Load(Memory);
        TraceProcess p = Assert.Single(trace.Processes);
        Assert.Equal(
            [(GpuEventKind.Alloc, 20_000UL, GpuEventFlags.Estimated), (GpuEventKind.Alloc, 20_000UL, GpuEventFlags.None), (GpuEventKind.Free, 10_000UL, GpuEventFlags.None)],
            p.Events.Select(static e => (e.Kind, e.Bytes, e.Flags)));
        Assert.Equal(30_000, Assert.Single(DemandAggregator.Aggregate(trace))[0].VramBytes);
        Assert.Equal(50_000UL, p.Events[0].TimestampNs);
        Assert.Equal(ObservedSignals.VramFromAllocations, trace.Observed);
    }

    [Fact]
    public void Import_MemoryAllocatedView_PairsBlocksAndAddsBaseline()
    {
        // Allocated: baseline 5000 - 1000 = 4000 (Estimated), +1000 @4096, +3000 @8192, -1000 @4096, -3000 @8192 -> 4000.
        ImportedTrace trace = new KinetoTraceImporter(KinetoVramView.Allocated).Import(_temp.Write("m.json", Memory));
        TraceProcess p = Assert.Single(trace.Processes);
        Assert.Equal(
            [(GpuEventKind.Alloc, 4000UL, 0UL), (GpuEventKind.Alloc, 1000UL, 4096UL), (GpuEventKind.Alloc, 3000UL, 8192UL), (GpuEventKind.Free, 1000UL, 4096UL), (GpuEventKind.Free, 3000UL, 8192UL)],
            p.Events.Select(static e => (e.Kind, e.Bytes, e.Address)));
        Assert.Equal(4000, Assert.Single(DemandAggregator.Aggregate(trace))[0].VramBytes);
    }

    [Theory]
    [InlineData("cudaLaunchKernel", GpuEventKind.KernelLaunch, GpuEventFlags.None)]
    [InlineData("cudaLaunchKernelExC", GpuEventKind.KernelLaunch, GpuEventFlags.None)]
    [InlineData("cuLaunchKernel", GpuEventKind.KernelLaunch, GpuEventFlags.None)]
    [InlineData("cudaLaunchCooperativeKernel", GpuEventKind.KernelLaunch, GpuEventFlags.Cooperative)]
    [InlineData("hipExtModuleLaunchKernel", GpuEventKind.KernelLaunch, GpuEventFlags.None)]
    [InlineData("cudaDeviceSynchronize", GpuEventKind.SyncContext, GpuEventFlags.None)]
    [InlineData("hipDeviceSynchronize", GpuEventKind.SyncContext, GpuEventFlags.None)]
    [InlineData("cudaStreamSynchronize", GpuEventKind.SyncStream, GpuEventFlags.None)]
    [InlineData("cuEventSynchronize", GpuEventKind.SyncEvent, GpuEventFlags.None)]
    [InlineData("cudaMalloc", GpuEventKind.Alloc, GpuEventFlags.None)]
    [InlineData("cuMemAlloc_v2", GpuEventKind.Alloc, GpuEventFlags.None)]
    [InlineData("cudaMallocAsync", GpuEventKind.AllocAsync, GpuEventFlags.None)]
    [InlineData("cudaHostAlloc", GpuEventKind.AllocHost, GpuEventFlags.None)]
    [InlineData("cudaFree", GpuEventKind.Free, GpuEventFlags.None)]
    [InlineData("cudaLaunchKernel_v7000", GpuEventKind.KernelLaunch, GpuEventFlags.None)]
    public void Import_HostCall_MapsToKind(string call, GpuEventKind kind, GpuEventFlags flags)
    {
        GpuEvent e = Assert.Single(Assert.Single(Load(Call(call)).Processes).Events);
        Assert.Equal((kind, flags), (e.Kind, e.Flags));
    }

    [Theory]
    [InlineData("cudaMemcpyAsync")]
    [InlineData("cudaEventQuery")]
    [InlineData("cudaStreamWaitEvent")]
    public void Import_OtherHostCall_NotAnEvent(string call)
    {
        Assert.Empty(Assert.Single(Load(Call(call)).Processes).Events);
    }

    [Fact]
    public void Import_UnlinkedGpuRow_GoesToMainProcessAndIsReported()
    {
        string json = """
            {"traceEvents": [
              {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 5, "tid": 5, "ts": 10, "dur": 1, "args": {"correlation": 1}},
              {"ph": "X", "cat": "kernel", "name": "k", "pid": 0, "tid": 7, "ts": 20, "dur": 1, "args": {"correlation": 99}}
            ]}
            """;
        ImportedTrace trace = Load(json);
        Assert.Equal(5u, Assert.Single(trace.Processes).Events[1].Pid);
        Assert.Contains(trace.Limitations, static l => l.StartsWith("1 GPU rows have no matching host call", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_LegacyCapitalizedCategories_Recognized()
    {
        string json = """
            {"traceEvents": [
              {"ph": "X", "cat": "Runtime", "name": "cudaLaunchKernel", "pid": 5, "tid": 5, "ts": 10, "dur": 1, "args": {"correlation": 1}},
              {"ph": "X", "cat": "Kernel", "name": "k", "pid": 0, "tid": 7, "ts": 20, "dur": 1, "args": {"correlation": 1}},
              {"ph": "X", "cat": "Memcpy", "name": "Memcpy HtoD (Pageable -> Device)", "pid": 0, "tid": 7, "ts": 30, "dur": 1, "args": {"correlation": 1, "bytes": 64}}
            ]}
            """;
        Assert.Equal([GpuEventKind.KernelLaunch, GpuEventKind.KernelExec, GpuEventKind.MemcpyHtoD], Assert.Single(Load(json).Processes).Events.Select(static e => e.Kind));
    }

    [Fact]
    public void Load_PlainJsonWithBomAndSpace_Recognized()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)' ', (byte)'\n', .. System.Text.Encoding.UTF8.GetBytes(TwoProcesses)];
        Assert.Equal(KinetoTraceImporter.FormatName, TraceImport.Load(_temp.Write("bom.json", bytes)).Format);
    }

    [Fact]
    public void Import_CancelledToken_Throws()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new KinetoTraceImporter().Import(RepoPaths.Fixture(FixtureTraces.Resnet), cancel.Token));
    }

    private static string Call(string name) =>
        "{\"traceEvents\": [{\"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"" + name + "\", \"pid\": 5, \"tid\": 6, \"ts\": 10, \"dur\": 1, \"args\": {\"correlation\": 3}}]}";

    private ImportedTrace Load(string json) => TraceImport.Load(_temp.Write("t.json", json));
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Kineto;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>
/// Figures checked by hand against the original Kineto files, independently of the importer:
/// python3 -c "import gzip,json; from decimal import Decimal; d=json.loads(gzip.open(F).read(), parse_float=Decimal)"
/// then counting/summing <c>traceEvents</c> by <c>cat</c>, and merging kernel [ts, ts+dur) intervals
/// (sorted sweep) for the busy-time union. The numbers below are the ones that script printed.
/// </summary>
public sealed class KinetoFixtureFactsTests
{
    [Fact]
    public void Import_ResnetTrace_CountsMatchHandCount()
    {
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.Resnet);

        // One host process (pid 1102); the GPU rows carry pid 0 (the device) in the file.
        TraceProcess process = Assert.Single(trace.Processes);
        Assert.Equal(1102, process.App.Pid);
        Assert.Equal(4350, Count(process, GpuEventKind.KernelExec));
        Assert.Equal(4350, Count(process, GpuEventKind.KernelLaunch));
        Assert.Equal(1600, Count(process, GpuEventKind.MemcpyDtoD));
        Assert.Equal(512_205_160UL, Bytes(process, GpuEventKind.MemcpyDtoD));
        Assert.Equal(145, Count(process, GpuEventKind.Memset));
        Assert.Equal(287_705_000UL, Bytes(process, GpuEventKind.Memset));
    }

    [Fact]
    public void Import_NsResolutionTrace_KeepsNanoseconds()
    {
        // The first kernel's ts is 1712195495505582.988 µs in the file: a double would round it.
        TraceProcess process = Assert.Single(FixtureTraces.Get(FixtureTraces.Resnet).Processes);
        ulong firstKernel = process.Events.First(static e => e.Kind == GpuEventKind.KernelExec).TimestampNs;
        Assert.Equal(1_712_195_495_505_582_988UL, firstKernel);
    }

    [Fact]
    public void Aggregate_ResnetTrace_SmSumEqualsKernelUnion()
    {
        // Union of the 4350 kernel intervals = 468,153,602 ns = 46.8153602 steps of 10 ms.
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(FixtureTraces.Get(FixtureTraces.Resnet)));
        Assert.Equal(46.8153602, Sum(series, Resource.Sm), precision: 6);

        // Bandwidth: the 1600 copies and 145 memsets, 512,205,160 + 287,705,000 bytes, over 0.01 s steps.
        Assert.Equal(799_910_160, Sum(series, Resource.MemoryBandwidth) / TimeBase.StepsPerSecond, precision: 0);
    }

    [Fact]
    public void Import_DfIndexTrace_ReservedViewIsConstantTotalReserved()
    {
        // Every CUDA [memory] event of the file reports Total Reserved = 12,782,141,440 B.
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.DfIndex);
        TraceProcess process = Assert.Single(trace.Processes);
        Assert.Equal(19_370, Count(process, GpuEventKind.KernelExec));
        Assert.Equal(5_892_787_600UL, Bytes(process, GpuEventKind.MemcpyDtoD));
        GpuEvent baseline = Assert.Single(process.Events, static e => e.Kind == GpuEventKind.Alloc);
        Assert.Equal(12_782_141_440UL, baseline.Bytes);
        Assert.Equal(GpuEventFlags.Estimated, baseline.Flags);
        Assert.True(trace.Observed.HasFlag(ObservedSignals.VramFromAllocations));
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(trace));
        Assert.Equal(12_782_141_440, series.Values(Resource.Vram)[^1]);
        Assert.Equal(97.7859, Sum(series, Resource.Sm), precision: 6); // kernel union 977,859,000 ns
    }

    [Fact]
    public void Import_DfIndexTraceAllocatedView_PairsEveryBlock()
    {
        // In (ts, Ev Idx) order the first CUDA [memory] event has Total Allocated 4,121,780,224 and
        // Bytes 25,165,824: baseline 4,096,614,400. 13,385 allocations and 13,385 frees of
        // 52,469,120,000 B each; the last event leaves Total Allocated at 4,096,614,400; the
        // allocated total ranges over [4,096,614,400, 6,629,508,096].
        ImportedTrace trace = new KinetoTraceImporter(KinetoVramView.Allocated).Import(RepoPaths.Fixture(FixtureTraces.DfIndex));
        TraceProcess process = Assert.Single(trace.Processes);
        GpuEvent baseline = Assert.Single(process.Events, static e => e.Kind == GpuEventKind.Alloc && e.Flags == GpuEventFlags.Estimated);
        Assert.Equal(4_096_614_400UL, baseline.Bytes);
        Assert.Equal(13_385 + 1, Count(process, GpuEventKind.Alloc));
        Assert.Equal(13_385, Count(process, GpuEventKind.Free));
        Assert.Equal(52_469_120_000UL + 4_096_614_400UL, Bytes(process, GpuEventKind.Alloc));
        Assert.Equal(52_469_120_000UL, Bytes(process, GpuEventKind.Free));
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(trace));
        ReadOnlySpan<double> vram = series.Values(Resource.Vram);
        Assert.Equal(4_096_614_400, vram[^1]);
        Assert.Equal(process.App.StartTime, baseline.TimestampNs); // held before profiling: placed at the trace start
        foreach (double held in vram)
        {
            Assert.InRange(held, 4_096_614_400, 6_629_508_096);
        }
    }

    [Fact]
    public void Import_AlexnetTrace_MostlyIdleWithCopies()
    {
        // 79 kernels (union 10,630,000 ns), 16 HtoD copies of 244,403,360 B, 3 memsets of 21,760 B.
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.Alexnet);
        TraceProcess process = Assert.Single(trace.Processes);
        Assert.Equal(2_869_224, process.App.Pid);
        Assert.Equal("python3.10", process.Name);
        Assert.Equal(79, Count(process, GpuEventKind.KernelExec));
        Assert.Equal(244_403_360UL, Bytes(process, GpuEventKind.MemcpyHtoD));
        Assert.Equal(21_760UL, Bytes(process, GpuEventKind.Memset));
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(trace));
        Assert.Equal(1.063, Sum(series, Resource.Sm), precision: 6);
        Assert.DoesNotContain(trace.Observed.ToString(), "Vram", StringComparison.Ordinal);
    }

    [Fact]
    public void Import_AmdTrace_ImportsHipActivity()
    {
        // ROCm: 14 kernels; both gpu_memcpy rows lack "bytes", their hipMemcpyWithStream calls say "size": "2560".
        TraceProcess process = Assert.Single(FixtureTraces.Get(FixtureTraces.Amd).Processes);
        Assert.Equal(597_913, process.App.Pid);
        Assert.Equal(14, Count(process, GpuEventKind.KernelExec));
        Assert.Equal(14, Count(process, GpuEventKind.KernelLaunch));
        Assert.Equal(2 * 2560UL, Bytes(process, GpuEventKind.MemcpyHtoD));
    }

    [Fact]
    public void Import_CpuOnlyTrace_OneProcessWithoutGpuEvents()
    {
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.CpuOnly);
        TraceProcess process = Assert.Single(trace.Processes);
        Assert.Equal(1074, process.App.Pid);
        Assert.Empty(process.Events);
        Assert.Equal(ObservedSignals.None, trace.Observed);
        Assert.Empty(DemandAggregator.Aggregate(trace));
    }

    private static int Count(TraceProcess process, GpuEventKind kind) => Digest.Count(process, kind);

    private static ulong Bytes(TraceProcess process, GpuEventKind kind) => Digest.Bytes(process, kind);

    private static double Sum(DemandSeries series, Resource resource) => Digest.Sum(series, resource);
}

using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>
/// Figures checked by hand with the sqlite3 CLI on the fixture files, independently of the importer, e.g.
/// <c>select copyKind, count(*), sum(bytes) from CUPTI_ACTIVITY_KIND_MEMCPY group by 1</c>,
/// <c>select s.value, count(*) from CUPTI_ACTIVITY_KIND_RUNTIME r join StringIds s on s.id = r.nameId
/// where eventClass in (0, 1) group by 1</c>, <c>select pid, name from PROCESSES where globalPid in
/// (select globalPid from CUPTI_ACTIVITY_KIND_KERNEL)</c>; the kernel busy union by a python3 sweep over
/// <c>select start, end from CUPTI_ACTIVITY_KIND_KERNEL</c>.
/// </summary>
public sealed class NsysFixtureFactsTests
{
    [Fact]
    public void Import_Cloverleaf_CountsMatchSqlite()
    {
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.Cloverleaf);
        TraceProcess process = Assert.Single(trace.Processes);

        // PROCESSES: globalPid 310028053512192 -> pid 1701896 "cuda-cloverleaf"; (310028053512192 >> 24) & 0xFFFFFF = 1701896.
        Assert.Equal(1_701_896, process.App.Pid);
        Assert.Equal("cuda-cloverleaf", process.Name);
        Assert.Equal(1312, Digest.Count(process, GpuEventKind.KernelExec));
        Assert.Equal(1312, Digest.Count(process, GpuEventKind.KernelLaunch)); // cudaLaunchKernel_v7000
        Assert.Equal(1312, Digest.Count(process, GpuEventKind.SyncContext)); // cudaDeviceSynchronize_v3020
        Assert.Equal(76, Digest.Count(process, GpuEventKind.Alloc)); // cudaMalloc_v3020
        Assert.Equal(68, Digest.Count(process, GpuEventKind.Free)); // cudaFree_v3020
        Assert.Equal(254, Digest.Count(process, GpuEventKind.MemcpyHtoD)); // copyKind 1
        Assert.Equal(225_065_752UL, Digest.Bytes(process, GpuEventKind.MemcpyHtoD));
        Assert.Equal(25, Digest.Count(process, GpuEventKind.MemcpyDtoH)); // copyKind 2
        Assert.Equal(51_200UL, Digest.Bytes(process, GpuEventKind.MemcpyDtoH));
        Assert.Equal(0, Digest.Count(process, GpuEventKind.Memset)); // no CUPTI_ACTIVITY_KIND_MEMSET table
    }

    [Fact]
    public void Aggregate_Cloverleaf_SmSumEqualsKernelUnion()
    {
        // Kernel union 294,404,540 ns (= sum(end - start): the kernels never overlap) = 29.440454 steps.
        ImportedTrace trace = FixtureTraces.Get(FixtureTraces.Cloverleaf);
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(trace));
        Assert.Equal(29.440454, Digest.Sum(series, Resource.Sm), precision: 6);
        Assert.Equal(225_116_952, Digest.Sum(series, Resource.MemoryBandwidth) / TimeBase.StepsPerSecond, precision: 0);
        Assert.Equal(ObservedSignals.SmFromGpuIntervals | ObservedSignals.BandwidthFromCopies, trace.Observed);
        Assert.Contains(trace.Limitations, static l => l.Contains("VRAM is not observed", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SaxpyOlderSchema_SkipsBacktraceDuplicates()
    {
        // Export schema 2.9.1 repeats each call as eventClass 67 (CUDA backtrace) under a second name
        // ("cudaLaunchKernel" next to "cudaLaunchKernel_v7000"): 5 launches, not 10; 15 cudaMalloc, not 30.
        TraceProcess process = Assert.Single(FixtureTraces.Get(FixtureTraces.Saxpy).Processes);
        Assert.Equal(1_230_493, process.App.Pid);
        Assert.Equal("./saxpy-mpi-cuda", process.Name);
        Assert.Equal(5, Digest.Count(process, GpuEventKind.KernelExec));
        Assert.Equal(5, Digest.Count(process, GpuEventKind.KernelLaunch));
        Assert.Equal(15, Digest.Count(process, GpuEventKind.Alloc));
        Assert.Equal(2_621_440_000UL, Digest.Bytes(process, GpuEventKind.MemcpyHtoD)); // 10 x 262,144,000
        Assert.Equal(1_310_720_000UL, Digest.Bytes(process, GpuEventKind.MemcpyDtoH)); // 5 x 262,144,000
    }

    [Fact]
    public void Aggregate_Saxpy_SmSumEqualsKernelUnion()
    {
        // Kernel union 88,573,480 ns.
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(FixtureTraces.Get(FixtureTraces.Saxpy)));
        Assert.Equal(8.857348, Digest.Sum(series, Resource.Sm), precision: 6);
        Assert.Equal(3_932_160_000, Digest.Sum(series, Resource.MemoryBandwidth) / TimeBase.StepsPerSecond, precision: 0);
    }
}

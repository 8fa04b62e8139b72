using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Nsys;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>Nsight Systems specifics on copies of the real fixtures with known rows added.</summary>
public sealed class NsysSqliteImporterTests : IDisposable
{
    // globalPid of the saxpy process: (302119223558144 >> 24) & 0xFFFFFF = 1230493.
    private const long SaxpyGlobalPid = 302_119_223_558_144;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Import_MemoryUsageEvents_GiveSizedVram()
    {
        // 1 GiB allocated at 900 ms, freed at 1500 ms; the series starts at 880 ms (first event 884.995 ms).
        string path = CopyOfSaxpy(
            $"INSERT INTO CUDA_GPU_MEMORY_USAGE_EVENTS VALUES (900000000, {SaxpyGlobalPid}, 0, 1, 32768, 0, 1073741824, 2, 0, NULL, 0);"
            + $"INSERT INTO CUDA_GPU_MEMORY_USAGE_EVENTS VALUES (1500000000, {SaxpyGlobalPid}, 0, 1, 32768, 0, 1073741824, 2, 1, NULL, 0);");
        ImportedTrace trace = TraceImport.Load(path);

        Assert.True(trace.Observed.HasFlag(ObservedSignals.VramFromAllocations));
        Assert.DoesNotContain(trace.Limitations, static l => l.Contains("VRAM is not observed", StringComparison.Ordinal));
        TraceProcess process = Assert.Single(trace.Processes);
        Assert.Equal((1073741824UL, 32768UL), Assert.Single(process.Events, static e => e.Kind == GpuEventKind.Alloc) is var a ? (a.Bytes, a.Address) : default);

        // The sizeless cudaMalloc runtime rows are left out when sized events exist.
        DemandSeries series = Assert.Single(DemandAggregator.Aggregate(trace));
        Assert.Equal(880_000_000, series.OriginNs);
        ReadOnlySpan<double> vram = series.Values(Resource.Vram);
        Assert.Equal(0, vram[1]);
        Assert.Equal(1073741824, vram[2]);
        Assert.Equal(1073741824, vram[61]);
        Assert.Equal(0, vram[62]);
    }

    [Fact]
    public void Import_KernelWithoutGlobalPid_AttributedThroughRuntimeCall()
    {
        string path = CopyOfSaxpy("UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET globalPid = NULL;");
        TraceProcess process = Assert.Single(TraceImport.Load(path).Processes);
        Assert.Equal(5, Digest.Count(process, GpuEventKind.KernelExec));
        Assert.All(process.Events, static e => Assert.Equal(1_230_493u, e.Pid));
    }

    [Fact]
    public void Import_FailedCall_FlaggedWithResult()
    {
        // 2 = cudaErrorMemoryAllocation on the first eventClass-0 cudaMalloc row.
        string path = CopyOfSaxpy("UPDATE CUPTI_ACTIVITY_KIND_RUNTIME SET returnValue = 2 WHERE correlationId = 135 AND eventClass = 0;");
        GpuEvent failed = Assert.Single(Assert.Single(TraceImport.Load(path).Processes).Events, static e => e.CorrelationId == 135);
        Assert.Equal((GpuEventKind.Alloc, GpuEventFlags.Failed, 2), (failed.Kind, failed.Flags, failed.Result));
    }

    [Fact]
    public void Import_UnknownCopyKind_UsesMemoryKindsAndReportsNone()
    {
        // copyKind 0 (unknown) with srcKind 0 (pageable) and dstKind 2 (device) is host to device.
        string path = CopyOfSaxpy("UPDATE CUPTI_ACTIVITY_KIND_MEMCPY SET copyKind = 0 WHERE copyKind = 1;");
        TraceProcess process = Assert.Single(TraceImport.Load(path).Processes);
        Assert.Equal(10, Digest.Count(process, GpuEventKind.MemcpyHtoD));
    }

    [Fact]
    public void Import_CancelledToken_Throws()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new NsysSqliteImporter().Import(RepoPaths.Fixture(FixtureTraces.Cloverleaf), cancel.Token));
    }

    [Fact]
    public void Import_Fixture_LeavesFileUnchanged()
    {
        string path = RepoPaths.Fixture(FixtureTraces.Saxpy);
        byte[] before = File.ReadAllBytes(path);
        _ = new NsysSqliteImporter().Import(path);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private string CopyOfSaxpy(string sql)
    {
        string path = _temp.File("saxpy.sqlite");
        File.Copy(RepoPaths.Fixture(FixtureTraces.Saxpy), path, overwrite: true);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return path;
    }
}

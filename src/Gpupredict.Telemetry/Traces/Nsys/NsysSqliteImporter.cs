using Gpupredict.Core.Demand;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>
/// Imports an Nsight Systems SQLite export (<c>nsys export --type sqlite</c>), export schemas 2.x and 3.x.
/// </summary>
/// <remarks>
/// Mapping: <c>CUPTI_ACTIVITY_KIND_KERNEL</c> → kernel executions, <c>..._MEMCPY</c> → copies in the
/// direction of <c>copyKind</c>, <c>..._MEMSET</c> → memsets (all GPU time, ns); launches, synchronizations
/// and (de)allocations of <c>..._RUNTIME</c> → host events; <c>CUDA_GPU_MEMORY_USAGE_EVENTS</c>, when
/// present, → sized allocations and frees. Processes are the pids in <c>globalPid</c>/<c>globalTid</c>
/// (see <see cref="NsysGlobalId"/>), named from <c>PROCESSES</c>. The file is opened read-only.
/// </remarks>
public sealed class NsysSqliteImporter : ITraceImporter
{
    /// <summary>The format name, <c>nsys-sqlite</c>.</summary>
    public const string FormatName = "nsys-sqlite";

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public bool Recognizes(string path, ReadOnlySpan<byte> head) => TraceFile.IsSqlite(head);

    /// <inheritdoc/>
    public ImportedTrace Import(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] head = TraceFile.ReadHead(path);
        if (!TraceFile.IsSqlite(head))
        {
            throw new TraceFormatException(path, $"not an SQLite database: the file starts with {TraceFile.Describe(head)}, expected \"SQLite format 3\"");
        }

        var settings = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(settings.ToString());
        NsysImport? import = null;
        try
        {
            connection.Open();
            import = new NsysImport(path, connection, cancellationToken);
            return Read(import);
        }
        catch (SqliteException e)
        {
            string where = import is null ? "opening the database" : $"reading table {import.CurrentTable}";
            throw new TraceFormatException(path, $"SQLite error while {where}: {e.Message}", e);
        }
    }

    private static ImportedTrace Read(NsysImport import)
    {
        RequireActivityTables(import);
        int sizedAllocations = NsysMemoryUsageRows.Read(import);
        int sizelessAllocations = NsysRuntimeRows.Read(import, includeAllocations: sizedAllocations == 0);
        bool hasKernels = NsysGpuRows.ReadKernels(import);
        bool hasCopies = NsysGpuRows.ReadCopies(import, NsysCopyKinds.Load(import.Connection, import.Schema), out int unknownDirection);
        bool hasMemsets = NsysGpuRows.ReadMemsets(import);
        if (import.Events.Count == 0)
        {
            throw new TraceFormatException(import.Path, $"the trace is empty: no rows of kernels, copies, memsets or recognized CUDA calls in {string.Join(", ", NsysTables.Activity.Where(import.Schema.HasTable))}");
        }

        var limitations = new List<string>
        {
            "Kernel DRAM traffic is not in the export (no GPU_METRICS or hardware counters): bandwidth counts memcpy and memset bytes only.",
        };
        if (sizedAllocations == 0)
        {
            limitations.Add($"{NsysTables.Runtime} records cudaMalloc/cudaFree calls ({sizelessAllocations} here) without size or address, and {NsysTables.MemoryUsage} is absent or empty (nsys ran without --cuda-memory-usage=true): VRAM is not observed.");
        }

        AddMissingTables(limitations, hasKernels, hasCopies, hasMemsets);
        if (unknownDirection > 0)
        {
            limitations.Add($"{unknownDirection} copies have an unknown copyKind and are counted as device-to-device.");
        }

        List<TraceProcess> processes = NsysProcesses.Group(import, limitations);
        ObservedSignals observed = TraceSignals.Observe(processes);
        TraceSignals.DescribeMissing(observed, limitations);
        return new ImportedTrace(import.Path, FormatName, processes, observed, limitations);
    }

    private static void RequireActivityTables(NsysImport import)
    {
        if (NsysTables.Activity.Any(import.Schema.HasTable))
        {
            return;
        }

        string present = string.Join(", ", import.Schema.Tables.Take(6));
        throw new TraceFormatException(import.Path, $"missing table {NsysTables.Kernel} (and {NsysTables.Memcpy}, {NsysTables.Memset}, {NsysTables.Runtime}): not an Nsight Systems export with CUDA trace data; tables present: {(present.Length == 0 ? "none" : present)}");
    }

    private static void AddMissingTables(List<string> limitations, bool hasKernels, bool hasCopies, bool hasMemsets)
    {
        foreach ((bool present, string table, string what) in new[] { (hasKernels, NsysTables.Kernel, "kernels"), (hasCopies, NsysTables.Memcpy, "copies"), (hasMemsets, NsysTables.Memset, "memsets") })
        {
            if (!present)
            {
                limitations.Add($"Table {table} is absent: no {what} were recorded or exported.");
            }
        }
    }
}

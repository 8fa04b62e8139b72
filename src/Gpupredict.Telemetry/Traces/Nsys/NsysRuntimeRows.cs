using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>
/// Reads <c>CUPTI_ACTIVITY_KIND_RUNTIME</c>: launches, synchronizations and (de)allocations become host
/// events; every call's correlation id is remembered to attribute GPU rows. Only rows of event class
/// 0 (CUDA runtime) and 1 (CUDA driver) are calls: exports with backtraces repeat each call as class 67
/// ("CUDA backtrace") under a second name, which would count it twice.
/// </summary>
internal static class NsysRuntimeRows
{
    /// <summary>Adds the runtime calls to <paramref name="import"/>.</summary>
    /// <param name="import">The import.</param>
    /// <param name="includeAllocations">False when a better source of (de)allocations is present.</param>
    /// <returns>How many cudaMalloc/cudaFree-like calls were seen (they carry no size).</returns>
    public static int Read(NsysImport import, bool includeAllocations)
    {
        if (!import.Schema.HasTable(NsysTables.Runtime))
        {
            return 0;
        }

        import.Schema.RequireColumns(import.Path, NsysTables.Runtime, "start", "end", "globalTid", "correlationId", "nameId");
        Dictionary<long, (GpuEventKind Kind, GpuEventFlags Flags)> calls = ClassifyNames(import);
        bool hasClass = import.Schema.HasColumn(NsysTables.Runtime, "eventClass");
        bool hasReturn = import.Schema.HasColumn(NsysTables.Runtime, "returnValue");
        string sql = $"SELECT start, end, globalTid, correlationId, nameId, {(hasReturn ? "returnValue" : "0")} FROM {NsysTables.Runtime}"
            + (hasClass ? " WHERE eventClass IN (0, 1)" : string.Empty) + " ORDER BY start";
        int allocations = 0;
        long index = 0;
        using SqliteCommand command = import.Command(NsysTables.Runtime, sql);
        using SqliteDataReader row = command.ExecuteReader();
        while (row.Read())
        {
            import.Tick(index);
            ulong start = import.Time(row, 0, index);
            ulong end = Math.Max(start, import.Time(row, 1, index++));
            long globalTid = NsysImport.OrZero(row, 2);
            long correlation = NsysImport.OrZero(row, 3);
            import.RememberCall(correlation, NsysGlobalId.Pid(globalTid));
            if (!calls.TryGetValue(row.GetInt64(4), out (GpuEventKind Kind, GpuEventFlags Flags) call))
            {
                continue;
            }

            bool isAllocation = call.Kind.IsDeviceAlloc() || call.Kind.IsDeviceFree() || call.Kind is GpuEventKind.AllocHost or GpuEventKind.FreeHost;
            allocations += isAllocation ? 1 : 0;
            if (isAllocation && !includeAllocations)
            {
                continue;
            }

            long result = NsysImport.OrZero(row, 5);
            import.Events.Add(new GpuEvent
            {
                TimestampNs = start,
                EndNs = end,
                CorrelationId = (ulong)correlation,
                Pid = (uint)NsysGlobalId.Pid(globalTid),
                Tid = NsysGlobalId.Tid(globalTid),
                Kind = call.Kind,
                Flags = call.Flags | (result != 0 ? GpuEventFlags.Failed : GpuEventFlags.None),
                Device = -1,
                Result = (int)result,
            });
        }

        return allocations;
    }

    private static Dictionary<long, (GpuEventKind, GpuEventFlags)> ClassifyNames(NsysImport import)
    {
        if (!import.Schema.HasTable(NsysTables.StringIds))
        {
            throw new TraceFormatException(import.Path, $"missing table {NsysTables.StringIds}, needed to name the calls in {NsysTables.Runtime}");
        }

        var calls = new Dictionary<long, (GpuEventKind, GpuEventFlags)>();
        string sql = $"SELECT id, value FROM {NsysTables.StringIds} WHERE id IN (SELECT DISTINCT nameId FROM {NsysTables.Runtime})";
        using SqliteCommand command = import.Command(NsysTables.StringIds, sql);
        using SqliteDataReader row = command.ExecuteReader();
        while (row.Read())
        {
            if (!row.IsDBNull(1) && CudaApiCatalog.TryClassify(row.GetString(1), out GpuEventKind kind, out GpuEventFlags flags))
            {
                calls[row.GetInt64(0)] = (kind, flags);
            }
        }

        return calls;
    }
}

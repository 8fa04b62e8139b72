using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>
/// Reads <c>CUDA_GPU_MEMORY_USAGE_EVENTS</c> (written when nsys ran with <c>--cuda-memory-usage=true</c>):
/// each row is an allocation (<c>memoryOperationType</c> 0) or a free (1) with address and size.
/// </summary>
internal static class NsysMemoryUsageRows
{
    /// <summary>Adds the rows as allocations and frees.</summary>
    /// <returns>How many rows were read (0 when the table is absent or empty).</returns>
    public static int Read(NsysImport import)
    {
        if (!import.Schema.HasTable(NsysTables.MemoryUsage))
        {
            return 0;
        }

        import.Schema.RequireColumns(import.Path, NsysTables.MemoryUsage, "start", "globalPid", "deviceId", "address", "bytes", "memKind", "memoryOperationType");
        string sql = $"SELECT start, globalPid, deviceId, address, bytes, memKind, memoryOperationType FROM {NsysTables.MemoryUsage} ORDER BY start";
        using SqliteCommand command = import.Command(NsysTables.MemoryUsage, sql);
        using SqliteDataReader row = command.ExecuteReader();
        int index = 0;
        while (row.Read())
        {
            import.Tick(index);
            ulong start = import.Time(row, 0, index++);
            bool free = NsysImport.OrZero(row, 6) == 1;
            import.Events.Add(new GpuEvent
            {
                TimestampNs = start,
                EndNs = start,
                Bytes = (ulong)Math.Max(0, NsysImport.OrZero(row, 4)),
                Address = (ulong)NsysImport.OrZero(row, 3),
                Pid = import.PidOf(row, 1, 0),
                Kind = KindOf(NsysImport.OrZero(row, 5), free),
                Device = (int)NsysImport.OrZero(row, 2),
            });
        }

        return index;
    }

    /// <summary>CUDA_MEMOPR_MEMORY_KIND: 1 pinned host memory, 4 and 6 managed, the others device memory.</summary>
    private static GpuEventKind KindOf(long memKind, bool free) => memKind switch
    {
        0 or 1 => free ? GpuEventKind.FreeHost : GpuEventKind.AllocHost,
        4 or 6 => free ? GpuEventKind.FreeManaged : GpuEventKind.AllocManaged,
        _ => free ? GpuEventKind.Free : GpuEventKind.Alloc,
    };
}

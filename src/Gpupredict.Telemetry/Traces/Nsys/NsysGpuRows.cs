using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>Reads the GPU activity tables: kernels, copies and memsets, all with GPU timestamps.</summary>
internal static class NsysGpuRows
{
    private const string Common = "start, end, deviceId, streamId, correlationId, globalPid";

    /// <summary>Adds <c>CUPTI_ACTIVITY_KIND_KERNEL</c> rows as kernel executions.</summary>
    /// <returns>False when the table is absent.</returns>
    public static bool ReadKernels(NsysImport import)
    {
        if (!import.Schema.HasTable(NsysTables.Kernel))
        {
            return false;
        }

        string[] columns = ["start", "end", "deviceId", "streamId", "correlationId", "globalPid", "gridX", "gridY", "gridZ", "blockX", "blockY", "blockZ", "staticSharedMemory", "dynamicSharedMemory"];
        import.Schema.RequireColumns(import.Path, NsysTables.Kernel, columns);
        ReadRows(import, NsysTables.Kernel, $"SELECT {string.Join(", ", columns)} FROM {NsysTables.Kernel} ORDER BY start", (row, e) =>
        {
            e.Kind = GpuEventKind.KernelExec;
            e.GridX = (uint)row.GetInt64(6);
            e.GridY = (uint)row.GetInt64(7);
            e.GridZ = (uint)row.GetInt64(8);
            e.BlockX = (uint)row.GetInt64(9);
            e.BlockY = (uint)row.GetInt64(10);
            e.BlockZ = (uint)row.GetInt64(11);
            e.SharedMemBytes = (uint)Math.Clamp(NsysImport.OrZero(row, 12) + NsysImport.OrZero(row, 13), 0, uint.MaxValue);
            return e;
        });
        return true;
    }

    /// <summary>Adds <c>CUPTI_ACTIVITY_KIND_MEMCPY</c> rows as copies in their direction.</summary>
    /// <returns>False when the table is absent; <paramref name="unknownDirection"/> counts copies of unknown direction.</returns>
    public static bool ReadCopies(NsysImport import, NsysCopyKinds kinds, out int unknownDirection)
    {
        unknownDirection = 0;
        if (!import.Schema.HasTable(NsysTables.Memcpy))
        {
            return false;
        }

        import.Schema.RequireColumns(import.Path, NsysTables.Memcpy, "start", "end", "deviceId", "streamId", "correlationId", "globalPid", "bytes", "copyKind");
        string src = import.Schema.HasColumn(NsysTables.Memcpy, "srcKind") ? "srcKind" : "NULL";
        string dst = import.Schema.HasColumn(NsysTables.Memcpy, "dstKind") ? "dstKind" : "NULL";
        int unknown = 0;
        ReadRows(import, NsysTables.Memcpy, $"SELECT {Common}, bytes, copyKind, {src}, {dst} FROM {NsysTables.Memcpy} ORDER BY start", (row, e) =>
        {
            GpuEventKind kind = kinds.Of(row.GetInt64(7), NsysImport.Optional(row, 8), NsysImport.Optional(row, 9));
            unknown += kind == GpuEventKind.None ? 1 : 0;
            e.Kind = kind == GpuEventKind.None ? GpuEventKind.MemcpyDtoD : kind;
            e.Bytes = (ulong)Math.Max(0, row.GetInt64(6));
            return e;
        });
        unknownDirection = unknown;
        return true;
    }

    /// <summary>Adds <c>CUPTI_ACTIVITY_KIND_MEMSET</c> rows as memsets.</summary>
    /// <returns>False when the table is absent.</returns>
    public static bool ReadMemsets(NsysImport import)
    {
        if (!import.Schema.HasTable(NsysTables.Memset))
        {
            return false;
        }

        import.Schema.RequireColumns(import.Path, NsysTables.Memset, "start", "end", "deviceId", "streamId", "correlationId", "globalPid", "bytes");
        ReadRows(import, NsysTables.Memset, $"SELECT {Common}, bytes FROM {NsysTables.Memset} ORDER BY start", (row, e) =>
        {
            e.Kind = GpuEventKind.Memset;
            e.Bytes = (ulong)Math.Max(0, row.GetInt64(6));
            return e;
        });
        return true;
    }

    /// <summary>Reads rows whose first six columns are <see cref="Common"/>; <paramref name="fill"/> sets the rest.</summary>
    private static void ReadRows(NsysImport import, string table, string sql, Func<SqliteDataReader, GpuEvent, GpuEvent> fill)
    {
        using SqliteCommand command = import.Command(table, sql);
        using SqliteDataReader row = command.ExecuteReader();
        long index = 0;
        while (row.Read())
        {
            import.Tick(index);
            ulong start = import.Time(row, 0, index);
            ulong end = Math.Max(start, import.Time(row, 1, index++));
            long correlation = NsysImport.OrZero(row, 4);
            var e = new GpuEvent
            {
                TimestampNs = start,
                EndNs = end,
                Device = (int)NsysImport.OrZero(row, 2),
                Stream = (ulong)Math.Max(0, NsysImport.OrZero(row, 3)),
                CorrelationId = (ulong)correlation,
                Pid = import.PidOf(row, 5, correlation),
                Flags = GpuEventFlags.GpuTime,
            };
            import.Events.Add(fill(row, e));
        }
    }
}

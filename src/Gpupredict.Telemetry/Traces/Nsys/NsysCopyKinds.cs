using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>
/// Maps <c>copyKind</c> (CUpti_ActivityMemcpyKind) to a copy direction. The built-in ids are those of
/// <c>ENUM_CUDA_MEMCPY_OPER</c> in a 2024.5 export (1 HtoD, 2 DtoH, 3 HtoA, 4 AtoH, 5 AtoA, 6 AtoD, 7 DtoA,
/// 8 DtoD, 9 HtoH, 10 PtoP, 11..13 unified memory); when the export has that table, its names win.
/// Arrays are device memory, so copies to or from them count as device copies.
/// </summary>
internal sealed class NsysCopyKinds
{
    private readonly Dictionary<long, GpuEventKind> _byId = new()
    {
        [1] = GpuEventKind.MemcpyHtoD,
        [2] = GpuEventKind.MemcpyDtoH,
        [3] = GpuEventKind.MemcpyHtoD,
        [4] = GpuEventKind.MemcpyDtoH,
        [5] = GpuEventKind.MemcpyDtoD,
        [6] = GpuEventKind.MemcpyDtoD,
        [7] = GpuEventKind.MemcpyDtoD,
        [8] = GpuEventKind.MemcpyDtoD,
        [9] = GpuEventKind.MemcpyHtoH,
        [10] = GpuEventKind.MemcpyPeer,
        [11] = GpuEventKind.MemcpyHtoD,
        [12] = GpuEventKind.MemcpyDtoH,
        [13] = GpuEventKind.MemcpyDtoD,
    };

    /// <summary>Loads the enum table when the export has one.</summary>
    public static NsysCopyKinds Load(SqliteConnection connection, NsysSchema schema)
    {
        var kinds = new NsysCopyKinds();
        if (!schema.HasTable(NsysTables.MemcpyKindEnum))
        {
            return kinds;
        }

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT id, name FROM {NsysTables.MemcpyKindEnum}";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(1) && FromName(reader.GetString(1)) is GpuEventKind kind)
            {
                kinds._byId[reader.GetInt64(0)] = kind;
            }
        }

        return kinds;
    }

    /// <summary>The direction of <paramref name="copyKind"/>, falling back to the memory kinds of source and destination.</summary>
    public GpuEventKind Of(long copyKind, long? srcKind, long? dstKind)
    {
        if (_byId.TryGetValue(copyKind, out GpuEventKind kind))
        {
            return kind;
        }

        // CUDA_MEMOPR_MEMORY_KIND: 0 pageable and 1 pinned are host memory; the others live on a device.
        bool? srcHost = srcKind is null ? null : srcKind <= 1;
        bool? dstHost = dstKind is null ? null : dstKind <= 1;
        return (srcHost, dstHost) switch
        {
            (true, false) => GpuEventKind.MemcpyHtoD,
            (false, true) => GpuEventKind.MemcpyDtoH,
            (true, true) => GpuEventKind.MemcpyHtoH,
            (false, false) => GpuEventKind.MemcpyDtoD,
            _ => GpuEventKind.None,
        };
    }

    private static GpuEventKind? FromName(string name)
    {
        string suffix = name.StartsWith("CUDA_MEMCPY_KIND_", StringComparison.Ordinal) ? name["CUDA_MEMCPY_KIND_".Length..] : name;
        return suffix switch
        {
            "HTOD" or "HTOA" or "UVM_HTOD" => GpuEventKind.MemcpyHtoD,
            "DTOH" or "ATOH" or "UVM_DTOH" => GpuEventKind.MemcpyDtoH,
            "DTOD" or "ATOA" or "ATOD" or "DTOA" or "UVM_DTOD" => GpuEventKind.MemcpyDtoD,
            "HTOH" => GpuEventKind.MemcpyHtoH,
            "PTOP" => GpuEventKind.MemcpyPeer,
            _ => null,
        };
    }
}

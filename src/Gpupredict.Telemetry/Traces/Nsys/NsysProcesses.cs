using System.Globalization;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>Groups an export's events by process and names the processes from <c>PROCESSES</c>.</summary>
internal static class NsysProcesses
{
    /// <summary>One <see cref="TraceProcess"/> per pid that has events, ordered by pid.</summary>
    public static List<TraceProcess> Group(NsysImport import, List<string> limitations)
    {
        Dictionary<int, string> names = ReadNames(import);
        var byPid = new Dictionary<uint, List<GpuEvent>>();
        ulong first = ulong.MaxValue;
        foreach (GpuEvent e in import.Events)
        {
            first = Math.Min(first, e.TimestampNs);
            if (!byPid.TryGetValue(e.Pid, out List<GpuEvent>? list))
            {
                byPid[e.Pid] = list = [];
            }

            list.Add(e);
        }

        AttributeUnknown(byPid, limitations);
        var processes = new List<TraceProcess>(byPid.Count);
        foreach ((uint pid, List<GpuEvent> events) in byPid.OrderBy(static p => p.Key))
        {
            GpuEvent[] sorted = [.. events];
            EventOrder.SortStable(sorted);
            string name = names.GetValueOrDefault((int)pid) ?? string.Create(CultureInfo.InvariantCulture, $"pid {pid}");
            processes.Add(new TraceProcess(new AppId((int)pid, first), name, sorted));
        }

        return processes;
    }

    /// <summary>GPU rows with neither <c>globalPid</c> nor a matching call go to the process with the most events.</summary>
    private static void AttributeUnknown(Dictionary<uint, List<GpuEvent>> byPid, List<string> limitations)
    {
        if (!byPid.Remove(NsysImport.UnknownPid, out List<GpuEvent>? unknown))
        {
            return;
        }

        uint target = byPid.Count == 0 ? 0 : byPid.OrderByDescending(static p => p.Value.Count).ThenBy(static p => p.Key).First().Key;
        if (!byPid.TryGetValue(target, out List<GpuEvent>? list))
        {
            byPid[target] = list = [];
        }

        foreach (GpuEvent e in unknown)
        {
            list.Add(e with { Pid = target });
        }

        limitations.Add($"{unknown.Count} GPU rows have no globalPid and no matching runtime call; they are attributed to process {target}.");
    }

    private static Dictionary<int, string> ReadNames(NsysImport import)
    {
        var names = new Dictionary<int, string>();
        if (!import.Schema.HasTable(NsysTables.Processes) || !import.Schema.HasColumn(NsysTables.Processes, "globalPid") || !import.Schema.HasColumn(NsysTables.Processes, "name"))
        {
            return names;
        }

        using SqliteCommand command = import.Command(NsysTables.Processes, $"SELECT globalPid, name FROM {NsysTables.Processes}");
        using SqliteDataReader row = command.ExecuteReader();
        while (row.Read())
        {
            if (!row.IsDBNull(0) && !row.IsDBNull(1))
            {
                names.TryAdd(NsysGlobalId.Pid(row.GetInt64(0)), row.GetString(1));
            }
        }

        return names;
    }
}

using System.Globalization;
using Gpupredict.Core.Events;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>The state of one Nsight Systems import: the open database, its schema and the events read so far.</summary>
internal sealed class NsysImport
{
    private readonly Dictionary<long, int> _pidByCorrelation = [];

    /// <summary>Starts an import of <paramref name="path"/> over an open read-only connection.</summary>
    public NsysImport(string path, SqliteConnection connection, CancellationToken cancellationToken)
    {
        Path = path;
        Connection = connection;
        CancellationToken = cancellationToken;
        Schema = NsysSchema.Load(connection);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The open database.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Stops a long import.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The export's tables and columns.</summary>
    public NsysSchema Schema { get; }

    /// <summary>The table being read, for error messages.</summary>
    public string CurrentTable { get; private set; } = "sqlite_master";

    /// <summary>Every event read, with <see cref="GpuEvent.Pid"/> set (<see cref="UnknownPid"/> when it could not be).</summary>
    public List<GpuEvent> Events { get; } = [];

    /// <summary>Marks an event whose process is not known.</summary>
    public const uint UnknownPid = uint.MaxValue;

    /// <summary>A command running <paramref name="sql"/> over <paramref name="table"/> (named in later error messages).</summary>
    public SqliteCommand Command(string table, string sql)
    {
        CurrentTable = table;
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>A timestamp column as an unsigned ns value.</summary>
    /// <exception cref="TraceFormatException">The value is NULL or negative.</exception>
    public ulong Time(SqliteDataReader row, int ordinal, long rowIndex)
    {
        if (row.IsDBNull(ordinal) || row.GetInt64(ordinal) < 0)
        {
            string found = row.IsDBNull(ordinal) ? "NULL" : row.GetInt64(ordinal).ToString(CultureInfo.InvariantCulture);
            throw new TraceFormatException(Path, $"table {CurrentTable}, row {rowIndex}, column \"{row.GetName(ordinal)}\": expected a time in ns >= 0, found {found}");
        }

        return (ulong)row.GetInt64(ordinal);
    }

    /// <summary>Remembers which process issued a call, for GPU rows without a <c>globalPid</c>.</summary>
    public void RememberCall(long correlationId, int pid)
    {
        if (correlationId != 0)
        {
            _pidByCorrelation[correlationId] = pid;
        }
    }

    /// <summary>The process of a GPU row: its <c>globalPid</c>, else the issuing call's, else <see cref="UnknownPid"/>.</summary>
    public uint PidOf(SqliteDataReader row, int globalPidOrdinal, long correlationId)
    {
        if (!row.IsDBNull(globalPidOrdinal))
        {
            return (uint)NsysGlobalId.Pid(row.GetInt64(globalPidOrdinal));
        }

        return _pidByCorrelation.TryGetValue(correlationId, out int pid) ? (uint)pid : UnknownPid;
    }

    /// <summary>Checks for cancellation every few thousand rows.</summary>
    public void Tick(long rowIndex)
    {
        if ((rowIndex & 0xFFF) == 0)
        {
            CancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Reads an optional integer column (-1 ordinal: absent).</summary>
    public static long? Optional(SqliteDataReader row, int ordinal) => ordinal < 0 || row.IsDBNull(ordinal) ? null : row.GetInt64(ordinal);

    /// <summary>Reads an integer column that may be NULL, as 0.</summary>
    public static long OrZero(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? 0 : row.GetInt64(ordinal);
}

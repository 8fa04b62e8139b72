using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>The tables and columns of an export, so that schema versions can be told apart.</summary>
internal sealed class NsysSchema
{
    private readonly SqliteConnection _connection;
    private readonly HashSet<string> _tables;
    private readonly Dictionary<string, HashSet<string>> _columns = new(StringComparer.OrdinalIgnoreCase);

    private NsysSchema(SqliteConnection connection, HashSet<string> tables)
    {
        _connection = connection;
        _tables = tables;
    }

    /// <summary>The table names, sorted.</summary>
    public IEnumerable<string> Tables => _tables.Order(StringComparer.Ordinal);

    /// <summary>Reads the table list of <paramref name="connection"/>.</summary>
    public static NsysSchema Load(SqliteConnection connection)
    {
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return new NsysSchema(connection, tables);
    }

    /// <summary>True when the export has <paramref name="table"/>.</summary>
    public bool HasTable(string table) => _tables.Contains(table);

    /// <summary>True when <paramref name="table"/> has <paramref name="column"/>.</summary>
    public bool HasColumn(string table, string column) => ColumnsOf(table).Contains(column);

    /// <summary>Fails with a one-line message naming the first missing column.</summary>
    /// <exception cref="TraceFormatException">A column is missing.</exception>
    public void RequireColumns(string path, string table, params ReadOnlySpan<string> columns)
    {
        HashSet<string> present = ColumnsOf(table);
        foreach (string column in columns)
        {
            if (!present.Contains(column))
            {
                throw new TraceFormatException(path, $"table {table} lacks column \"{column}\" (has: {string.Join(", ", present.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private HashSet<string> ColumnsOf(string table)
    {
        if (_columns.TryGetValue(table, out HashSet<string>? known))
        {
            return known;
        }

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        _columns[table] = columns;
        return columns;
    }
}

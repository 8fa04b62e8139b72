using System.Globalization;

namespace Gpupredict.Daemon.Config;

/// <summary>
/// A configuration file the daemon cannot use, with where and why:
/// <c>file:line:col: field: expected X, found Y</c> (line and column 1-based; 0 when the problem is the whole file).
/// </summary>
public sealed class ConfigFormatException : Exception
{
    /// <summary>A problem at <paramref name="line"/>:<paramref name="column"/> of <paramref name="source"/>.</summary>
    public ConfigFormatException(string source, long line, long column, string field, string expected, string found)
        : base(Format(source, line, column, field, expected, found))
    {
        Source = source;
        Line = line;
        Column = column;
        Field = field;
    }

    /// <summary>The file.</summary>
    public new string Source { get; }

    /// <summary>1-based line, 0 for the whole file.</summary>
    public long Line { get; }

    /// <summary>1-based column, 0 for the whole file.</summary>
    public long Column { get; }

    /// <summary>The dotted field path, empty for the whole file.</summary>
    public string Field { get; }

    private static string Format(string source, long line, long column, string field, string expected, string found)
    {
        string at = line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{source}:{line}:{column}") : source;
        return string.IsNullOrEmpty(field) ? $"{at}: expected {expected}, found {found}" : $"{at}: {field}: expected {expected}, found {found}";
    }
}

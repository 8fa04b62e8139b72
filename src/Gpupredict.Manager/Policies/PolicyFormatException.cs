namespace Gpupredict.Manager.Policies;

/// <summary>
/// A policy file that cannot be used: unreadable, malformed YAML, or valid YAML that breaks the
/// schema. The message names the file, line, column and field, what was expected and what was found:
/// <c>policies.yaml:14:12: rules[2].floor.vram: expected a size such as 8GiB, found "eight"</c>.
/// <see cref="Exception.Source"/> holds the file's name as given to the loader.
/// </summary>
public sealed class PolicyFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="source">The file's name (a path or a label).</param>
    /// <param name="line">1-based line, or 0 when the problem is the file as a whole.</param>
    /// <param name="column">1-based column, or 0 when the problem is the file as a whole.</param>
    /// <param name="field">The dotted field path such as <c>rules[2].floor.vram</c>; empty for the whole file.</param>
    /// <param name="expected">What the schema wants there, in words.</param>
    /// <param name="found">What the file holds there, quoted when it is text.</param>
    /// <param name="innerException">The YAML or IO error behind this one, if any.</param>
    public PolicyFormatException(string source, int line, int column, string field, string expected, string found, Exception? innerException = null)
        : base(Compose(source, line, column, field, expected, found), innerException)
    {
        Source = source;
        Line = line;
        Column = column;
        Field = field;
        Expected = expected;
        Found = found;
    }

    /// <summary>1-based line of the offending node, or 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending node, or 0 when the problem is the file as a whole.</summary>
    public int Column { get; }

    /// <summary>The dotted field path such as <c>rules[2].floor.vram</c>; empty for the whole file or document.</summary>
    public string Field { get; }

    /// <summary>What the schema wants at <see cref="Field"/>, in words.</summary>
    public string Expected { get; }

    /// <summary>What the file holds at <see cref="Field"/>: quoted text, or a description such as "a list".</summary>
    public string Found { get; }

    private static string Compose(string source, int line, int column, string field, string expected, string found)
    {
        string where = line > 0 ? $"{source}:{line}:{column}" : source;
        string what = field.Length > 0 ? $"{field}: " : string.Empty;
        return $"{where}: {what}expected {expected}, found {found}";
    }
}

namespace Gpupredict.Telemetry.Traces;

/// <summary>
/// A trace file could not be imported. <see cref="Exception.Message"/> is one line:
/// <c>&lt;file&gt;: &lt;what is wrong&gt;</c>, naming where (event index, table, field) and what was
/// expected versus found.
/// </summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TraceFormatException()
        : this(string.Empty, "the trace could not be read")
    {
    }

    /// <summary>Creates an exception for an unnamed file.</summary>
    /// <param name="message">What is wrong.</param>
    public TraceFormatException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates an exception for an unnamed file, wrapping the cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public TraceFormatException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The trace file.</param>
    /// <param name="problem">What is wrong, without the file name and on one line.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public TraceFormatException(string filePath, string problem, Exception? innerException = null)
        : base(Compose(filePath, problem), innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The trace file the message is about.</summary>
    public string FilePath { get; }

    private static string Compose(string filePath, string problem)
    {
        string oneLine = problem.ReplaceLineEndings(" ").Trim();
        return filePath.Length == 0 ? oneLine : $"{filePath}: {oneLine}";
    }
}

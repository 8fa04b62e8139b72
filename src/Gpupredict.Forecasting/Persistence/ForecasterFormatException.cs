namespace Gpupredict.Forecasting.Persistence;

/// <summary>
/// A saved forecaster cannot be read: wrong magic, an unknown version or policy, truncated, a
/// checksum mismatch, or a payload its policy refuses. Where the file is known the message starts
/// with its path (<see cref="InFile"/>), so it reads as one line naming the file and what is wrong.
/// </summary>
public sealed class ForecasterFormatException : Exception
{
    /// <summary>A refusal saying <paramref name="message"/> (no file named).</summary>
    public ForecasterFormatException(string message)
        : base(message)
    {
        Reason = message;
    }

    private ForecasterFormatException(string path, ForecasterFormatException inner)
        : base($"{path}: {inner.Reason}", inner)
    {
        Reason = inner.Reason;
        FilePath = path;
    }

    /// <summary>What is wrong, without the file's path.</summary>
    public string Reason { get; }

    /// <summary>The file that was read, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The same refusal naming <paramref name="path"/>: "PATH: reason".</summary>
    public ForecasterFormatException InFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ForecasterFormatException(path, this);
    }
}

namespace Gpupredict.Interop.Rings;

/// <summary>
/// An event ring's header (written by the application, so untrusted) is not one this reader can
/// use, or the file lost bytes after it was opened. The message names the file, the field, what was
/// expected and what was found; the same facts are properties for callers that decide by them
/// (a <see cref="Field"/> of "magic" with <see cref="Found"/> "0x00000000" is a ring still being created).
/// </summary>
public sealed class EventRingFormatException : IOException
{
    /// <summary>A problem with <paramref name="field"/> of the ring at <paramref name="path"/>.</summary>
    public EventRingFormatException(string path, string field, string expected, string found)
        : base($"event ring {path}: {field} is {found}, expected {expected}")
    {
        Path = path;
        Field = field;
        Expected = expected;
        Found = found;
    }

    /// <summary>The ring's file path.</summary>
    public string Path { get; }

    /// <summary>The header field (C name, e.g. "capacity") or "file size".</summary>
    public string Field { get; }

    /// <summary>What the reader accepts.</summary>
    public string Expected { get; }

    /// <summary>What it found.</summary>
    public string Found { get; }
}

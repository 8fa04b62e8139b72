namespace Gpupredict.Interop.Rings;

/// <summary>
/// An event ring is no longer one the reader can use: a memfd the kernel would not seal lost bytes
/// after it was created. The message names the ring, the field, what was expected and what was
/// found; the same facts are properties for callers that decide by them.
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

    /// <summary>The ring's name ("memfd:gpupredict-ring.PID").</summary>
    public string Path { get; }

    /// <summary>What is wrong: "file size".</summary>
    public string Field { get; }

    /// <summary>What the reader accepts.</summary>
    public string Expected { get; }

    /// <summary>What it found.</summary>
    public string Found { get; }
}

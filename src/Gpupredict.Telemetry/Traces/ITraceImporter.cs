using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>
/// Reads one recorded trace format into <see cref="GpuEvent"/>s grouped by process. A named policy:
/// <see cref="TraceImport"/> holds the known importers and picks one by the file's content.
/// </summary>
public interface ITraceImporter
{
    /// <summary>A short stable name for the format (for configuration and reports), e.g. <c>kineto</c>.</summary>
    string Name { get; }

    /// <summary>True when the file looks like this importer's format, judged by its first bytes.</summary>
    /// <param name="path">The file path (its extension is a hint at most).</param>
    /// <param name="head">The first bytes of the file (up to 64; fewer for a short file).</param>
    bool Recognizes(string path, ReadOnlySpan<byte> head);

    /// <summary>Reads the whole trace.</summary>
    /// <param name="path">The trace file.</param>
    /// <param name="cancellationToken">Stops a long import.</param>
    /// <returns>The complete trace; never a partially filled one.</returns>
    /// <exception cref="TraceFormatException">The file is missing, unreadable, malformed or holds no events.</exception>
    ImportedTrace Import(string path, CancellationToken cancellationToken = default);
}

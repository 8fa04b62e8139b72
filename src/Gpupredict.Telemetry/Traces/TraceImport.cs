using System.Collections.ObjectModel;
using Gpupredict.Telemetry.Traces.Kineto;
using Gpupredict.Telemetry.Traces.Nsys;

namespace Gpupredict.Telemetry.Traces;

/// <summary>Loads a trace file of any known format, choosing the importer by the file's content.</summary>
public static class TraceImport
{
    private static readonly ReadOnlyCollection<ITraceImporter> KnownImporters = new([new KinetoTraceImporter(), new NsysSqliteImporter()]);

    /// <summary>The known importers with their default settings, in the order they are tried. They hold no state and may be shared.</summary>
    public static IReadOnlyList<ITraceImporter> Importers => KnownImporters;

    /// <summary>
    /// Reads <paramref name="path"/> with the first importer that recognizes its first bytes
    /// (gzip magic or <c>{</c> for Kineto JSON, <c>SQLite format 3\0</c> for Nsight Systems).
    /// </summary>
    /// <param name="path">The trace file.</param>
    /// <param name="cancellationToken">Stops a long import.</param>
    /// <returns>The complete trace.</returns>
    /// <exception cref="TraceFormatException">
    /// The file is missing or empty, no importer recognizes it, or the importer finds it malformed;
    /// the message is one line starting with the path.
    /// </exception>
    public static ImportedTrace Load(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] head = TraceFile.ReadHead(path);
        foreach (ITraceImporter importer in KnownImporters)
        {
            if (importer.Recognizes(path, head))
            {
                return importer.Import(path, cancellationToken);
            }
        }

        throw new TraceFormatException(path, $"not a recognized trace format: the file starts with {TraceFile.Describe(head)}; expected gzip (1f 8b), a JSON object ('{{') or an SQLite database ('SQLite format 3')");
    }
}

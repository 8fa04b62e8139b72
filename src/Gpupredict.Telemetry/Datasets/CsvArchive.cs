using System.Formats.Tar;
using System.IO.Compression;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>Opens a CSV that is either a plain file or the one <c>.csv</c> inside a tar.gz, chosen by the gzip magic.</summary>
internal static class CsvArchive
{
    /// <summary>Hands the CSV text of <paramref name="path"/> to <paramref name="read"/>.</summary>
    /// <exception cref="TraceFormatException">The file is missing or empty, a broken archive, or an archive holding no .csv.</exception>
    public static T Read<T>(string path, Func<TextReader, T> read)
    {
        bool gzip = TraceFile.IsGzip(TraceFile.ReadHead(path));
        using FileStream file = TraceFile.Open(path);
        if (!gzip)
        {
            using var text = new StreamReader(file);
            return read(text);
        }

        try
        {
            using var unzipped = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(unzipped);
            while (tar.GetNextEntry() is TarEntry entry)
            {
                if (IsCsv(entry) && entry.DataStream is Stream data)
                {
                    using var text = new StreamReader(data);
                    return read(text);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new TraceFormatException(path, $"not a readable tar.gz: {e.Message}", e);
        }

        throw new TraceFormatException(path, "the tar.gz holds no .csv file; expected one CSV of (timestamp_anon, value, container_ip)");
    }

    // macOS tar adds "._name" resource-fork entries next to real files; they are not data.
    private static bool IsCsv(TarEntry entry) =>
        entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
        && entry.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        && !Path.GetFileName(entry.Name).StartsWith("._", StringComparison.Ordinal);
}

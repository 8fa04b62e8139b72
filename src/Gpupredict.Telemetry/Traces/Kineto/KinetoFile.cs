using System.Buffers.Binary;
using System.IO.Compression;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>The bytes of a Kineto JSON file, decompressed when it is gzip.</summary>
internal sealed class KinetoFile
{
    /// <summary>The largest document read into memory (decompressed), in bytes.</summary>
    public const long MaxDocumentBytes = 1L << 30;

    private KinetoFile(MemoryStream content, bool isGzip, long? gzipTrailerSize)
    {
        Content = content;
        IsGzip = isGzip;
        GzipTrailerSize = gzipTrailerSize;
    }

    /// <summary>The document; the valid bytes are <c>GetBuffer()[..Length]</c>.</summary>
    public MemoryStream Content { get; }

    /// <summary>True when the file was gzip-compressed.</summary>
    public bool IsGzip { get; }

    /// <summary>The uncompressed size modulo 2^32 that the gzip trailer states (null when not gzip or too short).</summary>
    public long? GzipTrailerSize { get; }

    /// <summary>The document as a span, without a leading UTF-8 byte order mark (which the JSON reader rejects).</summary>
    public ReadOnlySpan<byte> Json
    {
        get
        {
            ReadOnlySpan<byte> json = Content.GetBuffer().AsSpan(0, (int)Content.Length);
            return json.StartsWith(TraceFile.Utf8Bom) ? json[TraceFile.Utf8Bom.Length..] : json;
        }
    }

    /// <summary>
    /// True when the gzip trailer disagrees with what was decompressed: .NET's <see cref="GZipStream"/>
    /// ends silently at a cut-off input, so this is how a truncated download shows (a multi-member gzip
    /// also differs, which is why the caller only blames the gzip when the JSON is broken too).
    /// </summary>
    public bool GzipLooksTruncated => IsGzip && GzipTrailerSize != (Content.Length & 0xFFFFFFFF);

    /// <summary>Reads the whole file, decompressing gzip.</summary>
    /// <exception cref="TraceFormatException">The file is unreadable, corrupt gzip or too large.</exception>
    public static KinetoFile Read(string path, CancellationToken cancellationToken)
    {
        using FileStream file = TraceFile.Open(path);
        byte[] head = new byte[2];
        bool isGzip = file.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && TraceFile.IsGzip(head);
        file.Position = 0;
        long? trailer = isGzip ? ReadTrailerSize(file) : null;
        var content = new MemoryStream(isGzip ? (int)Math.Min(file.Length * 12, 1 << 28) : (int)Math.Min(file.Length, MaxDocumentBytes));
        try
        {
            using Stream source = isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            Copy(path, source, content, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new TraceFormatException(path, $"gzip stream is corrupt: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TraceFormatException(path, $"cannot read the file: {e.Message}", e);
        }

        return new KinetoFile(content, isGzip, trailer);
    }

    private static long? ReadTrailerSize(FileStream file)
    {
        if (file.Length < 18)
        {
            return null;
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static void Copy(string path, Stream source, MemoryStream target, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (target.Length + read > MaxDocumentBytes)
            {
                throw new TraceFormatException(path, $"the JSON document is larger than {MaxDocumentBytes} bytes, the most this importer reads into memory");
            }

            target.Write(buffer, 0, read);
        }
    }
}

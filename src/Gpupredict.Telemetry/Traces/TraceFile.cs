using System.Text;

namespace Gpupredict.Telemetry.Traces;

/// <summary>File-level facts shared by the importers: opening, the first bytes, the magic numbers.</summary>
internal static class TraceFile
{
    /// <summary>How many leading bytes <see cref="ReadHead"/> returns at most.</summary>
    public const int HeadLength = 64;

    /// <summary>The 16-byte header of every SQLite 3 database.</summary>
    public static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>True when <paramref name="head"/> starts with the gzip magic 1f 8b.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b;

    /// <summary>The UTF-8 byte order mark some editors put in front of JSON.</summary>
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>True when <paramref name="head"/> starts with the SQLite 3 header.</summary>
    public static bool IsSqlite(ReadOnlySpan<byte> head) => head.StartsWith(SqliteMagic);

    /// <summary>True when the first byte after an optional UTF-8 BOM and white space is <c>{</c>.</summary>
    public static bool IsJsonObject(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> rest = head.StartsWith(Utf8Bom) ? head[Utf8Bom.Length..] : head;
        foreach (byte b in rest)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }

    /// <summary>Reads the first bytes of <paramref name="path"/>.</summary>
    /// <exception cref="TraceFormatException">The file is missing, unreadable or empty.</exception>
    public static byte[] ReadHead(string path)
    {
        using FileStream stream = Open(path);
        byte[] buffer = new byte[HeadLength];
        int read = stream.ReadAtLeast(buffer, HeadLength, throwOnEndOfStream: false);
        if (read == 0)
        {
            throw new TraceFormatException(path, "the file is empty");
        }

        return buffer[..read];
    }

    /// <summary>Opens <paramref name="path"/> for reading, turning I/O failures into one-line messages.</summary>
    /// <exception cref="TraceFormatException">The file is missing or unreadable.</exception>
    public static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new TraceFormatException(path, "file not found", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TraceFormatException(path, "file not found (the directory does not exist)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TraceFormatException(path, $"cannot open the file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TraceFormatException(path, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>Describes leading bytes for an error message: hex, plus the printable text.</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> shown = head[..Math.Min(head.Length, 8)];
        var text = new StringBuilder();
        foreach (byte b in shown)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return $"{Convert.ToHexString(shown).ToLowerInvariant()} (\"{text}\")";
    }
}

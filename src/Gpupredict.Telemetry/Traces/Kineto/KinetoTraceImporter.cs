using System.Text.Json;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Imports PyTorch profiler (Kineto) Chrome-trace JSON, plain or gzip-compressed.
/// </summary>
/// <remarks>
/// Mapping: <c>kernel</c> → <see cref="Core.Events.GpuEventKind.KernelExec"/> (GPU time; grid, block,
/// stream, correlation and device from <c>args</c>); <c>gpu_memcpy</c> → Memcpy in the direction the
/// name states; <c>gpu_memset</c> → Memset; <c>cuda_runtime</c>/<c>cuda_driver</c> launches,
/// synchronizations and (de)allocations → the matching host event; CUDA <c>[memory]</c> events → VRAM
/// per <see cref="KinetoVramView"/>. <c>ts</c>/<c>dur</c> are microseconds, kept to the nanosecond.
/// Other categories are skipped. GPU rows are attributed to the host process through the correlation id.
/// </remarks>
public sealed class KinetoTraceImporter : ITraceImporter
{
    /// <summary>The format name, <c>kineto</c>.</summary>
    public const string FormatName = "kineto";

    /// <summary>Creates an importer with VRAM taken from <paramref name="vramView"/>.</summary>
    /// <param name="vramView">Which caching-allocator total becomes VRAM; <see cref="KinetoVramView.Reserved"/> by default.</param>
    public KinetoTraceImporter(KinetoVramView vramView = KinetoVramView.Reserved)
    {
        VramView = vramView;
    }

    /// <summary>Which caching-allocator total becomes VRAM.</summary>
    public KinetoVramView VramView { get; }

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public bool Recognizes(string path, ReadOnlySpan<byte> head) => TraceFile.IsGzip(head) || TraceFile.IsJsonObject(head);

    /// <inheritdoc/>
    public ImportedTrace Import(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = KinetoFile.Read(path, cancellationToken);
        if (file.Content.Length == 0)
        {
            throw new TraceFormatException(path, file.IsGzip ? $"gzip stream is truncated or corrupt: it decompresses to nothing (the trailer says {file.GzipTrailerSize} bytes)" : "the file is empty");
        }

        try
        {
            return Parse(path, file.Json, cancellationToken);
        }
        catch (JsonException e) when (file.GzipLooksTruncated)
        {
            throw new TraceFormatException(path, $"gzip stream is truncated: it decompresses to {file.Content.Length} bytes, the trailer says {file.GzipTrailerSize}, and the JSON ends early", e);
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, $"invalid JSON{(file.IsGzip ? " (after gunzip)" : string.Empty)}: {e.Message}", e);
        }
    }

    private ImportedTrace Parse(string path, ReadOnlySpan<byte> json, CancellationToken cancellationToken)
    {
        var reader = new KinetoJsonReader(json, path);
        var builder = new KinetoTraceBuilder(path, VramView);
        var e = default(KinetoEvent);
        reader.MoveToTraceEvents();
        while (reader.TryRead(ref e))
        {
            builder.Add(e, json);
            if ((e.Index & 0x3FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        reader.ReadToEnd();
        return builder.Build(reader.Count);
    }
}

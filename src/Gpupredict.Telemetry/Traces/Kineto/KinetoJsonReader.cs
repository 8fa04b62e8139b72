using System.Text.Json;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Walks a Kineto Chrome-trace JSON document held in memory, one <c>traceEvents</c> element at a time,
/// without building a DOM: the names the importer needs stay offsets into the buffer.
/// </summary>
internal ref struct KinetoJsonReader
{
    private readonly string _path;
    private Utf8JsonReader _reader;
    private int _count;

    /// <summary>Reads <paramref name="json"/> (the whole document) of the file <paramref name="path"/>.</summary>
    public KinetoJsonReader(ReadOnlySpan<byte> json, string path)
    {
        _path = path;
        _reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
    }

    /// <summary>How many <c>traceEvents</c> elements have been read.</summary>
    public readonly int Count => _count;

    /// <summary>Positions the reader inside the top-level <c>traceEvents</c> array.</summary>
    /// <exception cref="TraceFormatException">The document is not an object or has no <c>traceEvents</c> array.</exception>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public void MoveToTraceEvents()
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            throw new TraceFormatException(_path, $"expected a JSON object with a \"traceEvents\" array at the top level, found {_reader.TokenType}");
        }

        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isEvents = _reader.ValueTextEquals("traceEvents"u8);
            _reader.Read();
            if (isEvents)
            {
                if (_reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new TraceFormatException(_path, $"\"traceEvents\" is {_reader.TokenType}, expected an array");
                }

                return;
            }

            _reader.Skip();
        }

        throw new TraceFormatException(_path, "the JSON object has no \"traceEvents\" array: not a Kineto (Chrome trace) file");
    }

    /// <summary>Reads the next element of <c>traceEvents</c> into <paramref name="e"/>.</summary>
    /// <returns>False at the end of the array.</returns>
    /// <exception cref="TraceFormatException">An element is not an object.</exception>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public bool TryRead(ref KinetoEvent e)
    {
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw new TraceFormatException(_path, $"traceEvents[{_count}]: expected an object, found {_reader.TokenType}");
        }

        e.Clear(_count++);
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadEventProperty(ref e);
        }

        return true;
    }

    /// <summary>Reads what follows <c>traceEvents</c> so that a document cut short is still detected.</summary>
    /// <exception cref="JsonException">The JSON is malformed or truncated.</exception>
    public void ReadToEnd()
    {
        while (_reader.Read())
        {
            _reader.Skip();
        }
    }

    private void ReadEventProperty(ref KinetoEvent e)
    {
        KinetoKey key = KinetoKeys.Of(ref _reader);
        _reader.Read();
        switch (key)
        {
            case KinetoKey.Ph:
                e.Phase = _reader.TokenType == JsonTokenType.String && _reader.ValueSpan.Length > 0 ? _reader.ValueSpan[0] : (byte)0;
                break;
            case KinetoKey.Cat:
                e.Category = _reader.TokenType == JsonTokenType.String ? CategoryOf(ref _reader) : KinetoCategory.Other;
                break;
            case KinetoKey.Name when _reader.TokenType == JsonTokenType.String && !_reader.ValueIsEscaped:
                e.NameStart = checked((int)_reader.TokenStartIndex + 1);
                e.NameLength = _reader.ValueSpan.Length;
                break;
            case KinetoKey.Pid:
                e.HasPid = KinetoNumbers.TryReadInteger(ref _reader, allowString: false, out e.Pid);
                break;
            case KinetoKey.Tid:
                _ = KinetoNumbers.TryReadInteger(ref _reader, allowString: false, out e.Tid);
                break;
            case KinetoKey.Ts:
                e.HasTimestamp = KinetoNumbers.TryReadMicrosecondsAsNs(ref _reader, out e.TimestampNs, out e.SubMicrosecond);
                break;
            case KinetoKey.Dur:
                _ = KinetoNumbers.TryReadMicrosecondsAsNs(ref _reader, out e.DurationNs, out _);
                break;
            case KinetoKey.Args when _reader.TokenType == JsonTokenType.StartObject:
                KinetoArgsReader.Read(ref _reader, ref e.Args);
                return;
            default:
                break;
        }

        // Skips objects and arrays in unexpected places; a no-op on a scalar value.
        _reader.Skip();
    }

    private static KinetoCategory CategoryOf(ref Utf8JsonReader r)
    {
        // Lower case names are current libkineto; the capitalized ones are PyTorch <= 1.10.
        if (r.ValueTextEquals("kernel"u8) || r.ValueTextEquals("Kernel"u8))
        {
            return KinetoCategory.Kernel;
        }

        if (r.ValueTextEquals("cuda_runtime"u8) || r.ValueTextEquals("Runtime"u8))
        {
            return KinetoCategory.Runtime;
        }

        if (r.ValueTextEquals("cpu_op"u8) || r.ValueTextEquals("user_annotation"u8) || r.ValueTextEquals("Operator"u8))
        {
            return KinetoCategory.HostActivity;
        }

        if (r.ValueTextEquals("gpu_memcpy"u8) || r.ValueTextEquals("Memcpy"u8))
        {
            return KinetoCategory.Memcpy;
        }

        if (r.ValueTextEquals("gpu_memset"u8) || r.ValueTextEquals("Memset"u8))
        {
            return KinetoCategory.Memset;
        }

        if (r.ValueTextEquals("cpu_instant_event"u8))
        {
            return KinetoCategory.CpuInstant;
        }

        return r.ValueTextEquals("cuda_driver"u8) ? KinetoCategory.Driver : KinetoCategory.Other;
    }
}

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>One element of <c>traceEvents</c>, as far as the importer reads it. Reused between events.</summary>
internal struct KinetoEvent
{
    /// <summary>Position in <c>traceEvents</c>.</summary>
    public int Index;

    /// <summary>First byte of <c>ph</c> (<c>X</c> complete, <c>i</c> instant, <c>M</c> metadata...), 0 when absent.</summary>
    public byte Phase;

    /// <summary>The category.</summary>
    public KinetoCategory Category;

    /// <summary>Offset of the unescaped <c>name</c> text in the JSON buffer; -1 when absent or escaped.</summary>
    public int NameStart;

    /// <summary>Length of the <c>name</c> text in bytes.</summary>
    public int NameLength;

    /// <summary>True when <c>pid</c> is a number (GPU rows: the device; host rows: the OS pid).</summary>
    public bool HasPid;

    /// <summary><c>pid</c>.</summary>
    public long Pid;

    /// <summary><c>tid</c> when a number (GPU rows: the stream), else 0.</summary>
    public long Tid;

    /// <summary>True when <c>ts</c> is a number.</summary>
    public bool HasTimestamp;

    /// <summary><c>ts</c> converted from microseconds to nanoseconds (exact for up to 3 decimals).</summary>
    public long TimestampNs;

    /// <summary><c>dur</c> in nanoseconds, 0 when absent.</summary>
    public long DurationNs;

    /// <summary>True when <c>ts</c> had a fractional microsecond part.</summary>
    public bool SubMicrosecond;

    /// <summary>The <c>args</c> fields.</summary>
    public KinetoArgs Args;

    /// <summary>Resets every field to "absent" for the next event.</summary>
    public void Clear(int index)
    {
        this = default;
        Index = index;
        NameStart = -1;
        Args.Clear();
    }
}

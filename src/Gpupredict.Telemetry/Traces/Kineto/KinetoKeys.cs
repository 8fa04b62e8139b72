using System.Text.Json;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Recognizes a property name with one length switch and one or two byte comparisons: a trace has
/// millions of properties, so a chain of string comparisons per property would dominate the import.
/// </summary>
internal static class KinetoKeys
{
    /// <summary>The key of the property name the reader is on.</summary>
    public static KinetoKey Of(ref Utf8JsonReader r)
    {
        if (!r.ValueIsEscaped)
        {
            return Of(r.ValueSpan);
        }

        Span<byte> unescaped = stackalloc byte[32];
        return r.ValueSpan.Length <= unescaped.Length ? Of(unescaped[..r.CopyString(unescaped)]) : KinetoKey.Other;
    }

    private static KinetoKey Of(ReadOnlySpan<byte> s) => s.Length switch
    {
        2 => Pick(s, "ph"u8, KinetoKey.Ph, "ts"u8, KinetoKey.Ts),
        3 => s.SequenceEqual("cat"u8) ? KinetoKey.Cat : Pick(s, "pid"u8, KinetoKey.Pid, "tid"u8, KinetoKey.Tid, "dur"u8, KinetoKey.Dur),
        4 => Pick(s, "name"u8, KinetoKey.Name, "args"u8, KinetoKey.Args, "grid"u8, KinetoKey.Grid) is var k and not KinetoKey.Other
            ? k
            : Pick(s, "size"u8, KinetoKey.Size, "kind"u8, KinetoKey.Kind, "Addr"u8, KinetoKey.Addr),
        5 => Pick(s, "bytes"u8, KinetoKey.CopyBytes, "block"u8, KinetoKey.Block, "Bytes"u8, KinetoKey.MemoryBytes),
        6 => Pick(s, "device"u8, KinetoKey.Device, "stream"u8, KinetoKey.Stream, "Ev Idx"u8, KinetoKey.EventIndex),
        9 => One(s, "Device Id"u8, KinetoKey.DeviceId),
        11 => Pick(s, "correlation"u8, KinetoKey.Correlation, "Device Type"u8, KinetoKey.DeviceType),
        13 => One(s, "shared memory"u8, KinetoKey.SharedMemory),
        14 => One(s, "Total Reserved"u8, KinetoKey.TotalReserved),
        15 => One(s, "Total Allocated"u8, KinetoKey.TotalAllocated),
        _ => KinetoKey.Other,
    };

    private static KinetoKey One(ReadOnlySpan<byte> s, ReadOnlySpan<byte> a, KinetoKey ka) => s.SequenceEqual(a) ? ka : KinetoKey.Other;

    private static KinetoKey Pick(ReadOnlySpan<byte> s, ReadOnlySpan<byte> a, KinetoKey ka, ReadOnlySpan<byte> b, KinetoKey kb) =>
        s.SequenceEqual(a) ? ka : One(s, b, kb);

    private static KinetoKey Pick(ReadOnlySpan<byte> s, ReadOnlySpan<byte> a, KinetoKey ka, ReadOnlySpan<byte> b, KinetoKey kb, ReadOnlySpan<byte> c, KinetoKey kc) =>
        s.SequenceEqual(a) ? ka : Pick(s, b, kb, c, kc);
}

using System.Text.Json;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>Reads the <c>args</c> object of a Kineto event into <see cref="KinetoArgs"/>.</summary>
internal static class KinetoArgsReader
{
    /// <summary>Reads from the <c>StartObject</c> token of <c>args</c> through its <c>EndObject</c>.</summary>
    public static void Read(ref Utf8JsonReader r, ref KinetoArgs a)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            KinetoKey key = KinetoKeys.Of(ref r);
            r.Read();
            switch (key)
            {
                case KinetoKey.Device: Integer(ref r, ref a.Device); break;
                case KinetoKey.Stream: Integer(ref r, ref a.Stream); break;
                case KinetoKey.Correlation: Integer(ref r, ref a.Correlation); break;
                case KinetoKey.CopyBytes: Integer(ref r, ref a.CopyBytes); break;
                case KinetoKey.SharedMemory: Integer(ref r, ref a.SharedMemory); break;
                case KinetoKey.Size: Integer(ref r, ref a.CallSize); break;
                case KinetoKey.DeviceType: Integer(ref r, ref a.DeviceType); break;
                case KinetoKey.DeviceId: Integer(ref r, ref a.DeviceId); break;
                case KinetoKey.Addr: Integer(ref r, ref a.Address); break;
                case KinetoKey.MemoryBytes: Integer(ref r, ref a.MemoryBytes); break;
                case KinetoKey.TotalAllocated: Integer(ref r, ref a.TotalAllocated); break;
                case KinetoKey.TotalReserved: Integer(ref r, ref a.TotalReserved); break;
                case KinetoKey.EventIndex: Integer(ref r, ref a.EventIndex); break;
                case KinetoKey.Grid: ReadTriple(ref r, out a.GridX, out a.GridY, out a.GridZ); break;
                case KinetoKey.Block: ReadTriple(ref r, out a.BlockX, out a.BlockY, out a.BlockZ); break;
                case KinetoKey.Kind: a.CopyKind = r.TokenType == JsonTokenType.String && !r.ValueIsEscaped ? KinetoNames.CopyKindOf(r.ValueSpan) : a.CopyKind; break;
                case KinetoKey.Name: a.Name = r.TokenType == JsonTokenType.String ? r.GetString() : null; break;
                default: r.Skip(); break;
            }
        }
    }

    /// <summary>Stores the current value when it is an integer; skips it otherwise.</summary>
    private static void Integer(ref Utf8JsonReader r, ref long field)
    {
        if (KinetoNumbers.TryReadInteger(ref r, allowString: true, out long value))
        {
            field = value;
        }
        else
        {
            r.Skip();
        }
    }

    private static void ReadTriple(ref Utf8JsonReader r, out long x, out long y, out long z)
    {
        x = y = z = 0;
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.Skip();
            return;
        }

        int i = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            KinetoNumbers.TryReadInteger(ref r, allowString: false, out long v);
            r.Skip();
            switch (i++)
            {
                case 0: x = v; break;
                case 1: y = v; break;
                case 2: z = v; break;
                default: break;
            }
        }
    }
}

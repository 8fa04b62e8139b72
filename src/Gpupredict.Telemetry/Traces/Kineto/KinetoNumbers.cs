using System.Globalization;
using System.Text.Json;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>Number conversions for Kineto JSON values.</summary>
internal static class KinetoNumbers
{
    private const long NsPerMicrosecond = 1000;

    /// <summary>
    /// Reads a timestamp or duration in microseconds (integer or fractional, e.g. <c>1712195495501688.5</c>)
    /// as nanoseconds. Parsed as <see cref="decimal"/>, not double: at epoch scale a double keeps only
    /// ~0.25 µs, which would lose the nanoseconds of ns-resolution traces.
    /// </summary>
    /// <returns>False when the value is not a number or does not fit in 64-bit nanoseconds.</returns>
    public static bool TryReadMicrosecondsAsNs(ref Utf8JsonReader r, out long ns, out bool fractional)
    {
        ns = 0;
        fractional = false;
        if (r.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        if (r.TryGetInt64(out long us))
        {
            if (us is > long.MaxValue / NsPerMicrosecond or < long.MinValue / NsPerMicrosecond)
            {
                return false;
            }

            ns = us * NsPerMicrosecond;
            return true;
        }

        if (!r.TryGetDecimal(out decimal value))
        {
            return false;
        }

        decimal scaled = decimal.Round(value * NsPerMicrosecond, MidpointRounding.ToEven);
        if (scaled is > long.MaxValue or < long.MinValue)
        {
            return false;
        }

        ns = (long)scaled;
        fractional = value != decimal.Truncate(value);
        return true;
    }

    /// <summary>
    /// Reads an integer: a JSON number (a fractional one is truncated) or, with
    /// <paramref name="allowString"/>, a decimal or <c>0x</c>-hex string as ROCm traces write them.
    /// Does not advance the reader.
    /// </summary>
    public static bool TryReadInteger(ref Utf8JsonReader r, bool allowString, out long value)
    {
        value = 0;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out value))
            {
                return true;
            }

            if (r.TryGetDouble(out double d) && double.IsFinite(d) && Math.Abs(d) < 9.2e18)
            {
                value = (long)d;
                return true;
            }

            return false;
        }

        if (!allowString || r.TokenType != JsonTokenType.String || r.ValueIsEscaped)
        {
            return false;
        }

        ReadOnlySpan<byte> text = r.ValueSpan;
        if (text.StartsWith("0x"u8) || text.StartsWith("0X"u8))
        {
            return long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}

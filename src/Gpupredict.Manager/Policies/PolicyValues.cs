using System.Globalization;

namespace Gpupredict.Manager.Policies;

/// <summary>Parses the scalar notations of the policy schema: sizes, SM shares and durations.</summary>
internal static class PolicyValues
{
    /// <summary>
    /// The largest size accepted, in bytes: 2^60 (1048576TiB), a thousand times any GPU's memory yet far
    /// from 64-bit overflow, so sums and products of sizes in the planner stay meaningful.
    /// </summary>
    public const ulong MaxSizeBytes = 1UL << 60;

    private static readonly (string Suffix, ulong Factor)[] SizeUnits =
    [
        ("KiB", 1UL << 10), ("MiB", 1UL << 20), ("GiB", 1UL << 30), ("TiB", 1UL << 40),
        ("KB", 1_000UL), ("MB", 1_000_000UL), ("GB", 1_000_000_000UL), ("TB", 1_000_000_000_000UL),
        ("B", 1UL),
    ];

    private static readonly (string Suffix, double Milliseconds)[] DurationUnits =
    [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000),
    ];

    /// <summary>
    /// Reads a size: a non-negative integer, optionally followed by B, KiB, MiB, GiB, TiB (powers of
    /// 1024) or KB, MB, GB, TB (powers of 1000); a bare integer is bytes. Units are case-sensitive.
    /// </summary>
    /// <returns>Whether the text is such a size, and whether its bytes are at most <see cref="MaxSizeBytes"/>.</returns>
    public static ParseOutcome ParseSize(string text, out ulong bytes)
    {
        bytes = 0;
        string trimmed = text.Trim();
        ulong factor = 1;
        foreach ((string suffix, ulong f) in SizeUnits)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!IsDigits(trimmed))
        {
            return ParseOutcome.Malformed;
        }

        if (!ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out ulong count) || count > MaxSizeBytes / factor)
        {
            return ParseOutcome.TooLarge;
        }

        bytes = count * factor;
        return ParseOutcome.Ok;
    }

    /// <summary>Reads an SM share: a number in [0, 1], or a percentage in [0 %, 100 %] such as <c>25%</c>.</summary>
    public static bool TryParseShare(string text, out double share)
    {
        string trimmed = text.Trim();
        bool percent = trimmed.EndsWith('%');
        if (percent)
        {
            trimmed = trimmed[..^1].TrimEnd();
        }

        if (!TryParseNumber(trimmed, out share))
        {
            return false;
        }

        if (percent)
        {
            share /= 100;
        }

        return share is >= 0 and <= 1;
    }

    /// <summary>Reads a duration: a non-negative number with a unit ms, s, m or h, such as <c>500ms</c> or <c>1.5s</c>.</summary>
    /// <returns>Whether the text is such a duration, and whether it fits a <see cref="TimeSpan"/>.</returns>
    public static ParseOutcome ParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        string trimmed = text.Trim();

        // "ms" is tried before "s" so that 500ms reads as milliseconds, not as a malformed "500m" seconds.
        foreach ((string suffix, double ms) in DurationUnits)
        {
            if (!trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            string number = trimmed[..^suffix.Length].TrimEnd();
            if (!TryParseNumber(number, out double value))
            {
                return ParseOutcome.Malformed;
            }

            // Leave a millisecond of slack: TotalMilliseconds of MaxValue is rounded in double.
            double total = value * ms;
            if (!(total < TimeSpan.MaxValue.TotalMilliseconds - 1))
            {
                return ParseOutcome.TooLarge;
            }

            duration = TimeSpan.FromMilliseconds(total);
            return ParseOutcome.Ok;
        }

        return ParseOutcome.Malformed;
    }

    /// <summary>Reads a plain non-negative decimal number (digits, an optional point); no sign, exponent or separators.</summary>
    public static bool TryParseNumber(string text, out double value)
    {
        value = 0;
        int point = text.IndexOf('.', StringComparison.Ordinal);
        bool shaped = text.Length > 0 && text != "."
            && (point < 0 ? IsDigits(text) : IsDigitsOrEmpty(text[..point]) && IsDigitsOrEmpty(text[(point + 1)..]));
        return shaped && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Writes bytes in the largest binary unit that divides them exactly, such as <c>8GiB</c> or <c>1000B</c>.</summary>
    public static string FormatSize(ulong bytes)
    {
        string[] units = ["TiB", "GiB", "MiB", "KiB"];
        for (int i = 0; i < units.Length; i++)
        {
            ulong factor = 1UL << (10 * (units.Length - i));
            if (bytes > 0 && bytes % factor == 0)
            {
                return $"{bytes / factor}{units[i]}";
            }
        }

        return $"{bytes}B";
    }

    private static bool IsDigits(string text) => text.Length > 0 && IsDigitsOrEmpty(text);

    private static bool IsDigitsOrEmpty(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}

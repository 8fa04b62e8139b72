using System.Globalization;

namespace Gpupredict.Simulation.Reports;

/// <summary>Formats figures for people: binary byte units, percentages, durations.</summary>
public static class Units
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>Bytes in binary units, e.g. "1.5 GiB".</summary>
    public static string Bytes(double bytes)
    {
        int u = 0;
        double v = bytes;
        while (Math.Abs(v) >= 1024 && u < ByteUnits.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {ByteUnits[u]}");
    }

    /// <summary>A fraction as a percentage, e.g. "12.3%".</summary>
    public static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.0}%");

    /// <summary>A fraction with two decimals, e.g. "0.42".</summary>
    public static string Fraction(double fraction) => fraction.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Nanoseconds in the largest fitting unit, e.g. "3.2 ms".</summary>
    public static string Duration(double ns) => ns switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e9:0.##} s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:0.##} ms"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e3:0.##} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ns:0} ns"),
    };
}

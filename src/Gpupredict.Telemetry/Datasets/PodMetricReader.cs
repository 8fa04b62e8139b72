using System.Globalization;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>
/// Reads one per-pod metric CSV of the Alibaba GenAI trace: a header naming <c>timestamp_anon</c>,
/// <c>value</c> and <c>container_ip</c> in any order (the published files differ), then one row per
/// sample. Strict: every row has the header's field count, numbers are invariant-culture and finite.
/// </summary>
internal static class PodMetricReader
{
    private const string TimestampColumn = "timestamp_anon";
    private const string ValueColumn = "value";
    private const string ContainerColumn = "container_ip";

    /// <summary>Reads <paramref name="path"/> (plain CSV or tar.gz).</summary>
    /// <param name="path">The file.</param>
    /// <param name="max">The largest valid value (the smallest is 0).</param>
    /// <param name="unit">The unit, for messages: "percent", "bytes".</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    /// <exception cref="TraceFormatException">Anything malformed; the message names the file, line, field, expected and found.</exception>
    public static PodMetric Read(string path, double max, string unit, CancellationToken cancellationToken) =>
        CsvArchive.Read(path, text => Parse(path, text, max, unit, cancellationToken));

    private static PodMetric Parse(string path, TextReader text, double max, string unit, CancellationToken cancellationToken)
    {
        string header = text.ReadLine() ?? throw new TraceFormatException(path, "the CSV is empty; expected a header line");
        (int ts, int value, int container, int fields) = Columns(path, header);
        var byPod = new Dictionary<string, List<PodSample>>(StringComparer.Ordinal);
        int line = 1;
        while (text.ReadLine() is string row)
        {
            if (++line % 65536 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (row.Length == 0)
            {
                continue;
            }

            string[] f = row.Split(',');
            if (f.Length != fields)
            {
                throw new TraceFormatException(path, $"line {line}: expected {fields} comma-separated fields as in the header, found {f.Length}: '{Cut(row)}'");
            }

            double t = Number(path, line, TimestampColumn, f[ts], 0, double.MaxValue, "seconds");
            double v = Number(path, line, ValueColumn, f[value], 0, max, unit);
            string pod = f[container].Trim();
            if (pod.Length == 0)
            {
                throw new TraceFormatException(path, $"line {line}, field '{ContainerColumn}': expected a container id, found an empty field");
            }

            if (!byPod.TryGetValue(pod, out List<PodSample>? samples))
            {
                samples = [];
                byPod.Add(pod, samples);
            }

            samples.Add(new PodSample(t, v, line));
        }

        return new PodMetric(path, byPod);
    }

    private static (int Timestamp, int Value, int Container, int Fields) Columns(string path, string header)
    {
        string[] names = [.. header.TrimStart('\uFEFF').Split(',').Select(n => n.Trim())];
        int ts = Array.IndexOf(names, TimestampColumn);
        int value = Array.IndexOf(names, ValueColumn);
        int container = Array.IndexOf(names, ContainerColumn);
        if (ts < 0 || value < 0 || container < 0)
        {
            throw new TraceFormatException(path, $"line 1 (header): expected columns {TimestampColumn}, {ValueColumn}, {ContainerColumn} in any order, found '{Cut(header)}'");
        }

        return (ts, value, container, names.Length);
    }

    private static double Number(string path, int line, string field, string text, double min, double max, string unit)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= min && v <= max)
        {
            return v;
        }

        string range = max == double.MaxValue ? $"≥ {min}" : $"in [{min}, {max}]";
        throw new TraceFormatException(path, $"line {line}, field '{field}': expected a number {range} ({unit}), found '{Cut(text)}'");
    }

    private static string Cut(string text) => text.Length > 80 ? text[..77] + "..." : text;
}

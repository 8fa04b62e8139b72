using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>
/// A stable JSON digest of an imported trace and its demand series, used as the golden file:
/// per process the event counts and bytes by kind and the first/last times, per series its length
/// and the sum and maximum of each resource.
/// </summary>
internal static class TraceSummary
{
    public static string Of(string fixture, ImportedTrace trace)
    {
        IReadOnlyList<DemandSeries> series = DemandAggregator.Aggregate(trace);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("fixture", fixture);
            w.WriteString("format", trace.Format);
            w.WriteString("observed", trace.Observed.ToString());
            w.WriteStartArray("limitations");
            foreach (string line in trace.Limitations)
            {
                w.WriteStringValue(line);
            }

            w.WriteEndArray();
            w.WriteStartArray("processes");
            foreach (TraceProcess process in trace.Processes)
            {
                WriteProcess(w, process, series.FirstOrDefault(s => s.App == process.App));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static void WriteProcess(Utf8JsonWriter w, TraceProcess process, DemandSeries? series)
    {
        w.WriteStartObject();
        w.WriteNumber("pid", process.App.Pid);
        w.WriteNumber("startTime", process.App.StartTime);
        w.WriteString("name", process.Name);
        w.WriteNumber("events", process.Events.Length);
        if (process.Events.Length > 0)
        {
            w.WriteNumber("firstNs", process.Events[0].TimestampNs);
            w.WriteNumber("lastEndNs", process.Events.Max(static e => Math.Max(e.EndNs, e.TimestampNs)));
        }

        w.WriteStartObject("kinds");
        foreach (IGrouping<GpuEventKind, GpuEvent> kind in process.Events.GroupBy(static e => e.Kind).OrderBy(static g => g.Key))
        {
            w.WriteStartObject(kind.Key.ToString());
            w.WriteNumber("count", kind.Count());
            w.WriteNumber("bytes", kind.Aggregate(0UL, static (sum, e) => sum + e.Bytes));
            w.WriteNumber("estimated", kind.Count(static e => (e.Flags & GpuEventFlags.Estimated) != 0));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (series is not null)
        {
            WriteSeries(w, series);
        }

        w.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter w, DemandSeries series)
    {
        w.WriteStartObject("series");
        w.WriteNumber("originNs", series.OriginNs);
        w.WriteNumber("steps", series.Count);
        w.WriteString("observed", series.Observed.ToString());
        foreach (Resource resource in Resources.All)
        {
            ReadOnlySpan<double> values = series.Values(resource);
            double sum = 0;
            double max = 0;
            int nonZero = 0;
            foreach (double v in values)
            {
                sum += v;
                max = Math.Max(max, v);
                nonZero += v > 0 ? 1 : 0;
            }

            w.WriteStartObject(resource.ToString());
            w.WriteString("sum", Stable(sum));
            w.WriteString("max", Stable(max));
            w.WriteNumber("nonZeroSteps", nonZero);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Twelve significant digits: exact enough to catch a change, immune to last-bit noise.</summary>
    private static string Stable(double value) => value.ToString("G12", CultureInfo.InvariantCulture);
}

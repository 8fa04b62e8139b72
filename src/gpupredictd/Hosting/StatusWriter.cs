using System.Globalization;
using System.Text.Json;
using Gpupredict.Core.Allocation;
using Gpupredict.Daemon.Live;

namespace Gpupredict.Daemon.Hosting;

/// <summary>
/// The daemon's state as one JSON document (<c>status.json</c> in the runtime directory), rewritten
/// atomically every status interval and at exit: what it saw (applications, events, ingestion
/// counters) and what it did (forecasts, grants, refusals, tick lateness). The demo and the tests read
/// it; D-Bus and metrics will serve the same numbers.
/// </summary>
internal static class StatusWriter
{
    /// <summary>The one-line STATUS= text for systemd.</summary>
    public static string Line(NodeDaemon d) => string.Create(
        CultureInfo.InvariantCulture,
        $"{d.Applications} apps, {d.Ticks} ticks, {d.Source.Events} events, tick p99 {d.TickDuration.QuantileNs(0.99) / 1000} us, late p99 {d.Lateness.QuantileNs(0.99) / 1000} us");

    /// <summary>Writes the document to <paramref name="path"/> (through a temporary file and a rename).</summary>
    public static void Write(string path, NodeDaemon d, string protection, bool stopping)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteString("state", stopping ? "stopped" : "running");
            w.WriteString("protection", protection);
            w.WriteNumber("step_ns", d.Node.StepNs);
            w.WriteString("policies", d.Policies.Source);
            w.WriteStartArray("gpus");
            foreach (Core.Planning.GpuCapacity g in d.Node.Gpus)
            {
                w.WriteStartObject();
                w.WriteNumber("index", g.Index);
                w.WriteString("name", g.Name);
                w.WriteNumber("memory_bytes", g.Capacity.VramBytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("ticks", d.Ticks);
            w.WriteNumber("applications", d.Applications);
            w.WriteNumber("registered_total", d.Server.RegisteredTotal);
            w.WriteNumber("departed_total", d.Server.DepartedTotal);
            w.WriteNumber("refused", d.Server.Refused);
            w.WriteNumber("dropped_connections", d.Server.Dropped);
            w.WriteNumber("junk_messages", d.Server.Junk);
            w.WriteNumber("events", d.Source.Events);
            w.WriteNumber("admitted", d.Stats.Admitted);
            w.WriteNumber("released", d.Stats.Released);
            w.WriteNumber("forecasts", d.Stats.Forecasts);
            w.WriteNumber("grants_written", d.Stats.GrantsWritten);
            w.WriteNumber("grants_unchanged", d.Stats.GrantsUnchanged);
            w.WriteNumber("grants_failed", d.Stats.GrantsFailed);
            w.WriteNumber("tick_errors", d.Stats.Errors);
            w.WriteNumber("quota_denials", d.DeniedTotal);
            w.WriteNumber("premapped_hits", d.PremappedTotal);
            w.WriteNumber("broken_rings", d.Source.BrokenRings);
            Latency(w, "tick_lateness_ns", d.Lateness);
            Latency(w, "tick_duration_ns", d.TickDuration);
            w.WriteStartArray("apps");
            var rules = d.Stats.Applications().ToDictionary(r => r.App, r => r.Rule);
            foreach (LiveAppStats a in d.Source.Snapshot())
            {
                w.WriteStartObject();
                w.WriteNumber("pid", a.App.Pid);
                w.WriteNumber("start_time", a.App.StartTime);
                w.WriteString("process", a.Process);
                w.WriteNumber("uid", a.Uid);
                w.WriteString("rule", rules.GetValueOrDefault(a.App, "(not yet admitted)"));
                w.WriteNumber("events", a.Events);
                w.WriteNumber("quota_denials", a.Denied);
                w.WriteNumber("premapped_hits", a.Premapped);
                w.WriteNumber("malformed", a.Malformed);
                w.WriteNumber("dropped", a.Dropped);
                w.WriteNumber("budget_hits", a.BudgetHits);
                w.WriteNumber("backlog", a.Backlog);
                w.WriteNumber("late", a.Late);
                w.WriteNumber("clipped", a.Clipped);
                w.WriteNumber("sm", a.LastDemand.SmFraction);
                w.WriteNumber("bandwidth_bytes_per_s", a.LastDemand.BandwidthBytesPerSecond);
                w.WriteNumber("vram_bytes", a.LastDemand.VramBytes);
                if (d.Stats.Grants.TryGetValue(a.App, out GpuAllocation g))
                {
                    w.WriteStartObject("grant");
                    w.WriteNumber("gpu", g.Gpu);
                    w.WriteNumber("vram_quota_bytes", g.VramQuotaBytes);
                    w.WriteNumber("premap_target_bytes", g.PremapTargetBytes);
                    w.WriteNumber("sm_share", g.SmShare);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void Latency(Utf8JsonWriter w, string name, LatencyHistogram h)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", h.Count);
        w.WriteNumber("p50", h.QuantileNs(0.5));
        w.WriteNumber("p99", h.QuantileNs(0.99));
        w.WriteNumber("max", h.MaxNs);
        w.WriteEndObject();
    }
}

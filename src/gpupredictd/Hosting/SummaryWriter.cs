using System.Globalization;
using Gpupredict.Core.Apps;
using Gpupredict.Daemon.Live;

namespace Gpupredict.Daemon.Hosting;

/// <summary>
/// <c>gpupredictd --summary</c>: at exit, what the daemon saw and did, as text on stdout: the
/// applications (their demand, last forecast and grant, quota denials and pre-mapped hits), the
/// totals, and how late and long the ticks were.
/// </summary>
internal static class SummaryWriter
{
    public static void Write(TextWriter o, NodeDaemon d, string inventory)
    {
        var ic = CultureInfo.InvariantCulture;
        var live = new Dictionary<AppId, LiveAppStats>();
        foreach (LiveAppStats s in d.Source.History().Concat(d.Source.Snapshot()))
        {
            live[s.App] = s;
        }

        o.WriteLine();
        o.WriteLine("What gpupredictd saw and did");
        o.WriteLine(string.Create(ic, $"  node: {inventory}; step {d.Node.StepNs / 1e6:0.##} ms; policies {d.Policies.Source}"));
        o.WriteLine(string.Create(ic, $"  applications: {d.Server.RegisteredTotal} registered, {d.Server.DepartedTotal} exited, {d.Server.Refused} refused; {d.Source.Events:N0} events ingested in {d.Ticks:N0} ticks"));
        o.WriteLine(string.Create(ic, $"  forecasts: {d.Stats.Forecasts:N0} (one per application per tick); grants written: {d.Stats.GrantsWritten:N0} (unchanged: {d.Stats.GrantsUnchanged:N0}, failed: {d.Stats.GrantsFailed:N0})"));
        o.WriteLine(string.Create(ic, $"  allocations refused by a quota: {d.DeniedTotal:N0}; served from pre-mapped memory: {d.PremappedTotal:N0}"));
        o.WriteLine(string.Create(ic, $"  tick lateness: p50 {Ms(d.Lateness.QuantileNs(0.5))}, p99 {Ms(d.Lateness.QuantileNs(0.99))}, max {Ms(d.Lateness.MaxNs)}; tick duration: p50 {Ms(d.TickDuration.QuantileNs(0.5))}, p99 {Ms(d.TickDuration.QuantileNs(0.99))}, max {Ms(d.TickDuration.MaxNs)}"));
        IReadOnlyList<AppRow> rows = d.Stats.Applications();
        if (rows.Count == 0)
        {
            return;
        }

        o.WriteLine();
        o.WriteLine("  application                      rule        steps  events  peak VRAM  peak SM  forecast p-up  VRAM quota  grants  denied  premapped");
        foreach (AppRow r in rows)
        {
            live.TryGetValue(r.App, out LiveAppStats? s);
            string quota = r.LastGrant is { } g ? Size(g.VramQuotaBytes) : "-";
            o.WriteLine(string.Create(
                ic,
                $"  {Clip(r.Name, 32),-32} {Clip(r.Rule, 10),-10} {r.Steps,6} {s?.Events ?? 0,7} {Size(r.PeakVram),10} {r.PeakSm * 100,7:0.#}% {Size(r.LastForecastVram),14} {quota,11} {r.Grants,7} {s?.Denied ?? 0,7} {s?.Premapped ?? 0,10}"));
        }
    }

    private static string Ms(long ns) => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:0.###} ms");

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static string Size(double bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 10):0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
    };
}

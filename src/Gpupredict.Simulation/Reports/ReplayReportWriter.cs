using System.Globalization;
using Gpupredict.Core.Demand;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Reports;

/// <summary>Writes replay results as the text report <c>gpupredictctl replay</c> and <c>demo</c> print.</summary>
public static class ReplayReportWriter
{
    /// <summary>Writes the inputs, one table per policy (when <paramref name="details"/>), and a side-by-side comparison; durations in the applications' step.</summary>
    public static void Write(TextWriter w, IReadOnlyList<ReplayApp> apps, IReadOnlyList<ReplayResult> results, bool details = true)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0 || apps.Count == 0)
        {
            return;
        }

        double stepSeconds = ReplayApps.StepOf(apps.Select(a => a.Series)) / 1e9;

        ReplayResult first = results[0];
        string[] forecasters = results.Select(r => r.Forecaster).Distinct(StringComparer.Ordinal).ToArray();
        string forecaster = forecasters.Length == 1 ? $", forecaster: {forecasters[0]}" : "";
        w.WriteLine(Inv($"Replay of {apps.Count} application(s), {first.Steps} steps of {StepText(stepSeconds)} ({Duration(first.Steps * stepSeconds)}), node: {string.Join(", ", first.Gpus.GroupBy(g => g.Name).Select(g => $"{g.Count()} x {g.Key}"))}{forecaster}"));
        w.WriteLine();
        WriteInputs(w, apps);
        foreach (ReplayResult result in details ? results : [])
        {
            w.WriteLine();
            w.WriteLine(forecasters.Length == 1 ? $"Policy {result.Planner}" : $"Policy {result.Planner} (forecaster {result.Forecaster})");
            WritePolicy(w, result);
            foreach (string error in result.EnforcementErrors.Take(5))
            {
                w.WriteLine($"  enforcement error: {error}");
            }
        }

        foreach (ReplayResult result in details ? [] : results)
        {
            foreach (string error in result.EnforcementErrors.Take(3))
            {
                w.WriteLine($"{result.Planner}: enforcement error: {error}");
            }
        }

        w.WriteLine();
        w.WriteLine("Comparison (node totals)");
        WriteComparison(w, results);
        w.WriteLine();
        w.WriteLine("slack = share of the reservation left idle: sum of max(0, reserved - used) / sum of occupied (reserved, or served beyond it), over steps with a grant;");
        w.WriteLine("under-alloc = steps where the application did not get its demand: over the quota (would-be OOM) or the SM share (throttled), GPU OOM");
        w.WriteLine("(memory the GPU could not back), contended (SM oversubscribed on the GPU), stalled while suspended or paused by a migration or restore;");
        w.WriteLine("pre-mapped = allocation steps served wholly from memory mapped ahead; wait = ESTIMATED from the simulated node's cost model, not measured.");
        w.WriteLine("total rows: sums over the applications running at once, averaged over the replay's steps (SM in GPUs' worth).");
        w.WriteLine("n/a = the trace format does not observe that signal (see 'observed').");
    }

    private static void WriteInputs(TextWriter w, IReadOnlyList<ReplayApp> apps)
    {
        var t = new TextTable("application", "start", "steps", "SM mean", "SM peak", "BW mean", "VRAM peak", "observed");
        foreach (ReplayApp app in apps)
        {
            DemandSeries s = app.Series;
            ResourceVector peak = s.Peak();
            t.Add(app.Name, app.StartStep.ToString(CultureInfo.InvariantCulture), s.Count.ToString(CultureInfo.InvariantCulture),
                Units.Fraction(Mean(s.Values(Resource.Sm))), Units.Fraction(peak.SmFraction),
                Units.Bytes(Mean(s.Values(Resource.MemoryBandwidth))) + "/s",
                Vram(s.Observed, peak.VramBytes), Describe(s.Observed));
        }

        t.WriteTo(w);
    }

    private static void WritePolicy(TextWriter w, ReplayResult result)
    {
        var t = new TextTable("application", "SM used", "SM grant", "SM slack", "VRAM used", "VRAM quota", "VRAM slack", "over-quota", "throttled", "GPU OOM", "contended", "paused", "allocs", "pre-mapped", "wait", "changes");
        foreach (AppReport a in result.Apps.Append(result.Total))
        {
            bool vram = (a.Observed & ObservedSignals.VramFromAllocations) != 0;
            t.Add(a.Name, Units.Fraction(a.SmUsedMean), Units.Fraction(a.SmGrantedMean), Units.Percent(a.SmSlack),
                Vram(a.Observed, a.VramUsedMeanBytes), Vram(a.Observed, a.VramQuotaMeanBytes), vram ? Units.Percent(a.VramSlack) : "n/a",
                Count(a.VramOverQuotaSteps), Count(a.SmOverShareSteps), Count(a.GpuOomSteps), Count(a.SmContendedSteps), Count(a.PausedStallSteps), Count(a.AllocationSteps),
                a.AllocationSteps == 0 ? "-" : Units.Percent((double)a.PremappedHitSteps / a.AllocationSteps),
                Units.Duration(a.WaitNs), Count(a.GrantChanges));
        }

        t.WriteTo(w);
    }

    private static void WriteComparison(TextWriter w, IReadOnlyList<ReplayResult> results)
    {
        var t = new TextTable("policy", "SM grant", "SM slack", "VRAM quota", "VRAM slack", "under-alloc steps", "pre-mapped", "alloc wait", "changes");
        foreach (ReplayResult r in results)
        {
            AppReport a = r.Total;
            t.Add(r.Planner, Units.Fraction(a.SmGrantedMean), Units.Percent(a.SmSlack), Vram(a.Observed, a.VramQuotaMeanBytes),
                (a.Observed & ObservedSignals.VramFromAllocations) != 0 ? Units.Percent(a.VramSlack) : "n/a",
                Inv($"{a.UnderAllocatedSteps} ({(a.Steps == 0 ? 0 : 100.0 * a.UnderAllocatedSteps / a.Steps):0.00}%)"),
                a.AllocationSteps == 0 ? "-" : Units.Percent((double)a.PremappedHitSteps / a.AllocationSteps),
                Units.Duration(a.WaitNs), Count(a.GrantChanges));
        }

        t.WriteTo(w);
    }

    /// <summary>Short names of the observed signals, e.g. "sm+bw" or "sm+bw+vram".</summary>
    public static string Describe(ObservedSignals o)
    {
        var parts = new List<string>(3);
        if ((o & ObservedSignals.SmFromGpuIntervals) != 0)
        {
            parts.Add("sm");
        }
        else if ((o & ObservedSignals.SmEstimated) != 0)
        {
            parts.Add("sm(est)");
        }

        if ((o & (ObservedSignals.BandwidthFromCopies | ObservedSignals.BandwidthFromCounters)) != 0)
        {
            parts.Add((o & ObservedSignals.BandwidthFromCounters) != 0 ? "bw" : "bw(copies)");
        }

        if ((o & ObservedSignals.VramFromAllocations) != 0)
        {
            parts.Add("vram");
        }

        return parts.Count == 0 ? "none" : string.Join('+', parts);
    }

    private static string Vram(ObservedSignals o, double bytes) => (o & ObservedSignals.VramFromAllocations) != 0 ? Units.Bytes(bytes) : "n/a";

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return values.Length == 0 ? 0 : sum / values.Length;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string StepText(double seconds) => seconds < 1 ? Inv($"{seconds * 1000:0.###} ms") : Inv($"{seconds:0.###} s");

    private static string Duration(double seconds) => seconds < 600 ? Inv($"{seconds:0.00} s") : Inv($"{seconds / 3600:0.0} h");
}

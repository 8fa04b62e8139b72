using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Simulation.Replay;

/// <summary>Recorded series as a replay's applications: all starting together, or each when it was recorded.</summary>
public static class ReplayApps
{
    /// <summary>Every series from step 0, as if the applications started together (traces recorded on different machines).</summary>
    /// <param name="series">The series.</param>
    /// <param name="displayName">A report name per series; the series' own name when null.</param>
    public static IReadOnlyList<ReplayApp> Together(IReadOnlyList<DemandSeries> series, Func<DemandSeries, string>? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        return [.. series.Select(s => new ReplayApp(s, Priority.Default, 0, displayName?.Invoke(s)))];
    }

    /// <summary>
    /// Each series arriving at the step of its first sample relative to the earliest one (series of one
    /// dataset, recorded on one clock): start = round((origin − earliest origin) / step).
    /// </summary>
    /// <exception cref="ArgumentException">The series have different steps.</exception>
    public static IReadOnlyList<ReplayApp> AsRecorded(IReadOnlyList<DemandSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            return [];
        }

        long stepNs = StepOf(series);
        long first = series.Min(s => s.OriginNs);
        return [.. series.Select(s => new ReplayApp(s, Priority.Default, (long)Math.Round((s.OriginNs - first) / (double)stepNs), s.Name))];
    }

    /// <summary>The applications' recorded demand by identity: what an oracle reads (<see cref="Core.Forecasts.ForecasterSpec.Recorded"/>).</summary>
    /// <exception cref="ArgumentException">Two applications share an identity.</exception>
    public static IReadOnlyDictionary<AppId, RecordedDemand> Recorded(IReadOnlyList<ReplayApp> apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var recorded = new Dictionary<AppId, RecordedDemand>(apps.Count);
        foreach (ReplayApp app in apps)
        {
            if (!recorded.TryAdd(app.Series.App, new RecordedDemand(app.Series, app.StartStep)))
            {
                throw new ArgumentException($"two applications share the identity {app.Series.App} ('{app.Series.Name}')", nameof(apps));
            }
        }

        return recorded;
    }

    /// <summary>The step every series shares, ns.</summary>
    /// <exception cref="ArgumentException">There are none, or their steps differ (a replay runs on one clock).</exception>
    public static long StepOf(IEnumerable<DemandSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        long[] steps = [.. series.Select(s => s.StepNs).Distinct()];
        return steps.Length switch
        {
            1 => steps[0],
            0 => throw new ArgumentException("no series to take the step from", nameof(series)),
            _ => throw new ArgumentException($"the series have different steps ({string.Join(", ", steps.Select(s => $"{s} ns"))}); a replay runs on one clock", nameof(series)),
        };
    }
}

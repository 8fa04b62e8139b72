using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// Replays several copies of one application set on one node, to measure density: copy k has the
/// same demand, process ids offset by k × (largest pid + 1) so identities stay distinct, a "#k"
/// name suffix, and starts k × stagger steps later.
/// </summary>
public static class ReplayCopies
{
    /// <summary>The applications and <paramref name="copies"/> − 1 copies of them.</summary>
    /// <param name="apps">The applications; identities distinct.</param>
    /// <param name="copies">How many times to run them, ≥ 1 (1 = the applications themselves).</param>
    /// <param name="staggerSteps">Copy k starts k × this many steps later, ≥ 0.</param>
    /// <exception cref="ArgumentException">The copies' process ids would not fit in a pid.</exception>
    public static IReadOnlyList<ReplayApp> Make(IReadOnlyList<ReplayApp> apps, int copies, int staggerSteps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(staggerSteps);
        if (copies == 1)
        {
            return apps;
        }

        long offset = apps.Max(a => (long)a.Series.App.Pid) + 1;
        if (offset * copies > int.MaxValue)
        {
            throw new ArgumentException($"{copies} copies of process ids up to {offset - 1} do not fit in a pid; use fewer copies", nameof(copies));
        }

        var all = new List<ReplayApp>(apps.Count * copies);
        for (int k = 0; k < copies; k++)
        {
            foreach (ReplayApp app in apps)
            {
                all.Add(k == 0 ? app : Copy(app, k, (int)(k * offset), (long)k * staggerSteps));
            }
        }

        return all;
    }

    private static ReplayApp Copy(ReplayApp app, int k, int pidOffset, long delay)
    {
        DemandSeries series = app.Series.For(new AppId(app.Series.App.Pid + pidOffset, app.Series.App.StartTime));
        return app with { Series = series, StartStep = app.StartStep + delay, DisplayName = $"{app.Name}#{k}" };
    }
}

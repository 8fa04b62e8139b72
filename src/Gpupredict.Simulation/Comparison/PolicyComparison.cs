using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// Replays the same applications under several policies, each on a fresh simulated node watched by
/// a <see cref="TimelineRecorder"/>, and sums each run into a comparable row (<see cref="PolicyFigures"/>),
/// with ratios to the static-peak run (density) and the oracle run (utilization) when present.
/// </summary>
public static class PolicyComparison
{
    /// <summary>The policy name whose density the others are compared with.</summary>
    public const string StaticPolicy = "static-peak";

    /// <summary>The policy name whose utilization the others are compared with.</summary>
    public const string OraclePolicy = "oracle";

    /// <summary>Runs every entry over <paramref name="apps"/>.</summary>
    /// <param name="apps">The applications; identities distinct.</param>
    /// <param name="entries">The policies, each with its forecaster; names distinct.</param>
    /// <param name="nodeFactory">Creates a fresh simulated node per policy.</param>
    /// <param name="progress">Called with (policy, step, total steps) every 1000 steps; may be null.</param>
    /// <param name="admission">Who decides arriving applications' terms; null: the terms each <see cref="ReplayApp"/> carries.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public static ComparisonResult Run(IReadOnlyList<ReplayApp> apps, IReadOnlyList<PolicyEntry> entries, Func<ISimulatedNode> nodeFactory, Action<string, long, long>? progress = null, IAdmission? admission = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(nodeFactory);
        if (entries.Select(e => e.Policy).Distinct(StringComparer.Ordinal).Count() != entries.Count)
        {
            throw new ArgumentException("each policy may appear once", nameof(entries));
        }

        var runs = new List<PolicyRun>(entries.Count);
        foreach (PolicyEntry entry in entries)
        {
            ISimulatedNode node = nodeFactory();
            var recorder = new TimelineRecorder(node.Gpus, apps.Count == 0 ? 0 : apps.Max(a => a.EndStep));
            Action<long, long>? report = progress is null ? null : (step, total) => progress(entry.Policy, step, total);
            ReplayResult result = NodeReplay.Run(apps, entry.CreateForecaster(), entry.CreatePlanner(), node, report, admission, [recorder], cancellationToken);
            runs.Add(new PolicyRun(result, recorder.Timeline, Summarize(entry.Policy, result, recorder.Timeline)));
        }

        PolicyFigures? stat = runs.FirstOrDefault(r => r.Figures.Policy == StaticPolicy)?.Figures;
        PolicyFigures? oracle = runs.FirstOrDefault(r => r.Figures.Policy == OraclePolicy)?.Figures;
        return new ComparisonResult(runs.Select(r => r with
        {
            Figures = r.Figures with
            {
                AppsPerGpuVsStatic = stat is null ? null : Ratio(r.Figures.AppsPerGpu, stat.AppsPerGpu),
                SmUtilizationVsOracle = oracle is null ? null : Ratio(r.Figures.SmUtilization, oracle.SmUtilization),
                VramUtilizationVsOracle = oracle is null ? null : Ratio(r.Figures.VramUtilization, oracle.VramUtilization),
            },
        }).ToArray());
    }

    /// <summary>The comparison row of one replay.</summary>
    public static PolicyFigures Summarize(string policy, ReplayResult result, NodeTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(timeline);
        AppReport t = result.Total;
        double gpus = timeline.PeakReservedGpus();
        double concurrent = timeline.MeanActiveApps;
        return new PolicyFigures
        {
            Policy = policy,
            Forecaster = result.Forecaster,
            SmUtilization = Ratio(timeline.SmUsedTotal, timeline.SmGrantedTotal),
            VramUtilization = Ratio(timeline.VramUsedTotal, timeline.VramGrantedTotal),
            SmSlack = t.SmSlack,
            VramSlack = t.VramSlack,
            VramObserved = (t.Observed & ObservedSignals.VramFromAllocations) != 0,
            GpusNeeded = gpus,
            MeanConcurrentApps = concurrent,
            AppsPerGpu = concurrent / Math.Max(gpus, 1e-9),
            UnderAllocatedSteps = t.UnderAllocatedSteps,
            AppSteps = t.Steps,
            UnderAllocatedFraction = Ratio(t.UnderAllocatedSteps, t.Steps),
            AllocationSteps = t.AllocationSteps,
            PremappedHitSteps = t.PremappedHitSteps,
            PremappedHitFraction = Ratio(t.PremappedHitSteps, t.AllocationSteps),
            WaitNs = t.WaitNs,
            GrantChanges = t.GrantChanges,
            Migrations = t.Migrations,
            Suspends = t.Suspends,
            Shortfalls = t.Shortfalls,
        };
    }

    private static double Ratio(double a, double b) => b <= 0 ? 0 : a / b;
}

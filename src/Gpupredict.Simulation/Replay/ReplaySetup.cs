using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Comparison.Policies;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// The replay's set-up: applications, the admission that gives them their terms, the forecasters a
/// host registered and the node, turned into runs. Each comparison policy's planner gets its
/// forecaster built on the quantile grid the planner declares (<see cref="QuantileGrid.For"/>); a
/// trained model keeps its own levels, which must carry the planner's. Then the runs: one per
/// policy (<see cref="Compare"/>) or, per policy, the smallest node within a budget (<see cref="Fit"/>).
/// </summary>
public sealed class ReplaySetup
{
    private readonly IForecasterCatalog _forecasters;
    private readonly Func<int, ISimulatedNode> _nodeOf;
    private readonly IReadOnlyDictionary<AppId, RecordedDemand> _recorded;

    /// <summary>Sets up replays of <paramref name="apps"/>.</summary>
    /// <param name="apps">The applications; identities distinct, series on one step.</param>
    /// <param name="admission">Who gives an arriving application its terms (the manager's policy rules).</param>
    /// <param name="forecasters">The registered forecasters.</param>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="nodeOf">A fresh simulated node of the given number of GPUs.</param>
    /// <param name="gpus">The node's GPUs (the largest tried when sizing).</param>
    /// <exception cref="ArgumentException">No applications, their identities repeat, or their steps differ.</exception>
    public ReplaySetup(IReadOnlyList<ReplayApp> apps, IAdmission admission, IForecasterCatalog forecasters, int horizon, Func<int, ISimulatedNode> nodeOf, int gpus)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(forecasters);
        ArgumentNullException.ThrowIfNull(nodeOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gpus, 1);
        StepNs = ReplayApps.StepOf(apps.Select(a => a.Series));
        _recorded = ReplayApps.Recorded(apps);
        Apps = apps;
        Admission = admission;
        Horizon = horizon;
        Gpus = gpus;
        _forecasters = forecasters;
        _nodeOf = nodeOf;
    }

    /// <summary>The applications.</summary>
    public IReadOnlyList<ReplayApp> Apps { get; }

    /// <summary>Who gives arriving applications their terms.</summary>
    public IAdmission Admission { get; }

    /// <summary>Steps forecast ahead.</summary>
    public int Horizon { get; }

    /// <summary>The node's GPUs.</summary>
    public int Gpus { get; }

    /// <summary>How long one step lasts, ns: the applications' series' step.</summary>
    public long StepNs { get; }

    /// <summary>
    /// The runnable form of <paramref name="policy"/>: <paramref name="planner"/> with the forecaster
    /// the policy is meant for, or <paramref name="choice"/> when it takes the user's.
    /// </summary>
    /// <param name="policy">The comparison policy.</param>
    /// <param name="planner">Creates its planner (configured by the caller: node policy, overrides).</param>
    /// <param name="choice">The user's forecaster.</param>
    /// <param name="label">The name reports show; the policy's own when null (a sweep labels its variants).</param>
    /// <exception cref="ArgumentException">A forecaster name is unknown, or a trained model lacks a level the planner reads (the message names it).</exception>
    public PolicyEntry Entry(ComparisonPolicy policy, Func<IPlanner> planner, ForecasterChoice choice, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(choice);
        QuantileRoles roles = planner().Quantiles;
        var spec = new ForecasterSpec(Horizon, QuantileGrid.For(roles).LevelList, _recorded);
        Func<IForecaster> forecaster;
        if (policy.Forecaster is string own)
        {
            forecaster = () => _forecasters.Create(own, spec);
        }
        else if (choice.Trained is { } trained)
        {
            _ = QuantileGrid.Of(trained().Levels, roles, choice.Source ?? $"model '{choice.Name}'");
            forecaster = trained;
        }
        else
        {
            forecaster = () => _forecasters.Create(choice.Name, spec);
        }

        _ = forecaster(); // an unknown name fails here, before any replay
        return new PolicyEntry(label ?? policy.Name, planner, forecaster);
    }

    /// <summary>Replays the applications once per entry, each on a fresh node of <see cref="Gpus"/> GPUs.</summary>
    public ComparisonResult Compare(IReadOnlyList<PolicyEntry> entries, Action<string, long, long>? progress = null, CancellationToken cancellationToken = default) =>
        PolicyComparison.Run(Apps, entries, () => _nodeOf(Gpus), progress, Admission, cancellationToken);

    /// <summary>Per entry, the fewest GPUs (up to <see cref="Gpus"/>) on which under-allocation stays within <paramref name="budget"/>.</summary>
    public IReadOnlyList<NodeSize> Fit(IReadOnlyList<PolicyEntry> entries, double budget, Action<string, int, double>? probed = null, CancellationToken cancellationToken = default) =>
        NodeSizing.Fit(Apps, entries, _nodeOf, Gpus, budget, probed, Admission, cancellationToken);
}

using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Node;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// A replay is the daemon's loop (<see cref="NodeTick"/>) with a recorded source, virtual time and a
/// simulated node: each step the applications' recorded demand is played against the grants in
/// force (<see cref="RecordedDemandSource"/>), then observed, forecast and planned for, and the plan
/// enforced on the same simulated node; the scoring (<see cref="ReplayAccounting"/>) watches the ticks.
/// </summary>
public static class NodeReplay
{
    /// <summary>Runs the replay to the end of the last application.</summary>
    /// <param name="apps">The applications; their <see cref="Core.Apps.AppId"/>s must be distinct.</param>
    /// <param name="forecaster">A fresh forecaster (its state is consumed); its levels must carry the planner's.</param>
    /// <param name="planner">The planning policy.</param>
    /// <param name="node">A fresh simulated node.</param>
    /// <param name="progress">Called with (step, total steps) every 1000 steps; may be null.</param>
    /// <param name="admission">Who decides an arriving application's terms; null: the terms each <see cref="ReplayApp"/> carries.</param>
    /// <param name="observers">More observers of every tick (a node timeline, say), after the scoring.</param>
    /// <param name="cancellationToken">Stops the replay between steps.</param>
    public static ReplayResult Run(
        IReadOnlyList<ReplayApp> apps,
        IForecaster forecaster,
        IPlanner planner,
        ISimulatedNode node,
        Action<long, long>? progress = null,
        IAdmission? admission = null,
        IEnumerable<ITickObserver>? observers = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(node);
        var source = new RecordedDemandSource(apps, node);
        var accounting = new ReplayAccounting(apps, node.Gpus, node.StepNs);
        var tick = new NodeTick(
            new NodeSpec(node.Gpus, node.StepNs),
            source,
            admission ?? new RecordedTerms(apps),
            forecaster,
            planner,
            node,
            new ImmediateSlowPath(node),
            [accounting, .. observers ?? []]);
        new NodeLoop(tick, TimeProvider.System).RunSteps(0, source.End, progress, cancellationToken);
        return accounting.Result(planner.Name, forecaster.Name, source.End);
    }
}

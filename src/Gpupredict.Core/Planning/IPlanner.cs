using Gpupredict.Core.Forecasts;

namespace Gpupredict.Core.Planning;

/// <summary>
/// A planning policy: a pure function from the node view and the applications' forecasts to an
/// allocation plan. Policies decide; the manager acts. Must not mutate its inputs or keep state
/// that changes its answer for the same inputs.
/// </summary>
public interface IPlanner
{
    /// <summary>The policy name used in configuration and reports.</summary>
    string Name { get; }

    /// <summary>
    /// The quantile levels this planner reads from every forecast, by role. The pipeline builds its
    /// forecasters and demand tracker from them (<see cref="QuantileGrid.For"/>) and checks a
    /// loaded model's levels against them, so a needed level is never rounded to a neighbour.
    /// </summary>
    QuantileRoles Quantiles => QuantileRoles.Default;

    /// <summary>Plans grants for <paramref name="requests"/> on the node described by <paramref name="view"/>.</summary>
    AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests);
}

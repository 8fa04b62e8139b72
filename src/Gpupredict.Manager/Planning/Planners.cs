using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning.Baselines;

namespace Gpupredict.Manager.Planning;

/// <summary>Looks planning policies up by name.</summary>
/// <remarks>
/// <see cref="ReactivePlanner"/> and <see cref="OraclePlanner"/> size to their forecast's highest
/// level and mean what their names say only with the forecaster they are meant for (a windowed
/// summary of the past; the true future); the replay's policy comparison pairs them.
/// </remarks>
public static class Planners
{
    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [StaticPeakPlanner.PolicyName, ForecastPlanner.PolicyName, ReactivePlanner.PolicyName, HamiPlanner.PolicyName, OraclePlanner.PolicyName];

    /// <summary>Creates the planner called <paramref name="name"/>; the forecast planner with <paramref name="forecastOptions"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public static IPlanner Create(string name, ForecastPlannerOptions? forecastOptions = null) => name switch
    {
        StaticPeakPlanner.PolicyName => new StaticPeakPlanner(),
        ForecastPlanner.PolicyName => new ForecastPlanner(forecastOptions ?? new ForecastPlannerOptions()),
        ReactivePlanner.PolicyName => new ReactivePlanner(),
        HamiPlanner.PolicyName => new HamiPlanner(),
        OraclePlanner.PolicyName => new OraclePlanner(),
        _ => throw new ArgumentException($"unknown planner '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}

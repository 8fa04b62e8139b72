using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>Looks planning policies up by name.</summary>
public static class Planners
{
    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names { get; } = [StaticPeakPlanner.PolicyName, ForecastPlanner.PolicyName];

    /// <summary>Creates the planner called <paramref name="name"/> with default settings.</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public static IPlanner Create(string name) => name switch
    {
        StaticPeakPlanner.PolicyName => new StaticPeakPlanner(),
        ForecastPlanner.PolicyName => new ForecastPlanner(new ForecastPlannerOptions()),
        _ => throw new ArgumentException($"unknown planner '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}

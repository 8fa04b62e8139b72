using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// The built-in planning policies (<see cref="BuiltInPlanners"/>) by name, for code that runs without
/// a host. A host registers the same list with <see cref="ManagerServiceCollectionExtensions.AddPlanners"/>
/// and resolves <see cref="PlannerCatalog"/>.
/// </summary>
public static class Planners
{
    /// <summary>The built-in catalog.</summary>
    public static PlannerCatalog Catalog { get; } = new(BuiltInPlanners.All);

    /// <summary>The names this build knows.</summary>
    public static IReadOnlyList<string> Names => Catalog.Names;

    /// <summary>Creates the planner called <paramref name="name"/>; the forecast planner with <paramref name="forecastOptions"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public static IPlanner Create(string name, ForecastPlannerOptions? forecastOptions = null) => Catalog.Create(name, forecastOptions);
}

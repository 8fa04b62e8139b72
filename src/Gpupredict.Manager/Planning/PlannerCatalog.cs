using Gpupredict.Core.Planning;
using Gpupredict.Core.Registry;

namespace Gpupredict.Manager.Planning;

/// <summary>The planning policies a host registered, by name.</summary>
public sealed class PlannerCatalog(IEnumerable<PlannerRegistration> registrations)
{
    private readonly NamedCatalog<PlannerRegistration> _catalog = new(registrations, r => r.Name, "planner");

    /// <summary>The names it knows, in registration order.</summary>
    public IReadOnlyList<string> Names => _catalog.Names;

    /// <summary>Creates the planner called <paramref name="name"/> with <paramref name="options"/> (the built-in node policy's when null).</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public IPlanner Create(string name, ForecastPlannerOptions? options = null) => _catalog.Get(name).Create(options ?? new ForecastPlannerOptions());
}

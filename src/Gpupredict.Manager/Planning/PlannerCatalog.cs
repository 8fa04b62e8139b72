using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>The planning policies a host registered, by name.</summary>
public sealed class PlannerCatalog
{
    private readonly Dictionary<string, PlannerRegistration> _byName = new(StringComparer.Ordinal);

    /// <summary>A catalog of <paramref name="registrations"/> (a later one of the same name replaces an earlier one).</summary>
    public PlannerCatalog(IEnumerable<PlannerRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        var names = new List<string>();
        foreach (PlannerRegistration r in registrations)
        {
            ArgumentException.ThrowIfNullOrEmpty(r.Name, nameof(registrations));
            if (!_byName.ContainsKey(r.Name))
            {
                names.Add(r.Name);
            }

            _byName[r.Name] = r;
        }

        Names = names;
    }

    /// <summary>The names it knows, in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Creates the planner called <paramref name="name"/> with <paramref name="options"/> (the built-in node policy's when null).</summary>
    /// <exception cref="ArgumentException">No policy has that name; the message lists the known ones.</exception>
    public IPlanner Create(string name, ForecastPlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out PlannerRegistration? r)
            ? r.Create(options ?? new ForecastPlannerOptions())
            : throw new ArgumentException($"unknown planner '{name}'; known: {string.Join(", ", Names)}", nameof(name));
    }
}

using Gpupredict.Core.Enforcement;
using Gpupredict.Enforcement.Simulated;

namespace Gpupredict.Enforcement;

/// <summary>The enforcement backends a host registered, by name.</summary>
public sealed class BackendCatalog
{
    private readonly Dictionary<string, BackendRegistration> _byName = new(StringComparer.Ordinal);

    /// <summary>A catalog of <paramref name="registrations"/> (a later one of the same name replaces an earlier one).</summary>
    public BackendCatalog(IEnumerable<BackendRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        var names = new List<string>();
        foreach (BackendRegistration r in registrations)
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

    /// <summary>Builds the backend named <paramref name="name"/> (ordinal, case-sensitive), or says why not: an unknown name (listing the known ones) or an invalid option.</summary>
    public (IEnforcementBackend? Backend, string? Error) Create(string name, BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (!_byName.TryGetValue(name, out BackendRegistration? r))
        {
            string simulated = name == SimulatedGpuNode.BackendName ? " (the simulated node is built by the replay, with its GPUs)" : string.Empty;
            return (null, $"unknown enforcement backend '{name}'{simulated}; known: {string.Join(", ", Names)}");
        }

        try
        {
            return (r.Create(options), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }
}

using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Registry;
using Gpupredict.Enforcement.Simulated;

namespace Gpupredict.Enforcement;

/// <summary>The enforcement backends a host registered, by name.</summary>
public sealed class BackendCatalog(IEnumerable<BackendRegistration> registrations)
{
    private readonly NamedCatalog<BackendRegistration> _catalog = new(registrations, r => r.Name, "enforcement backend");

    /// <summary>The names it knows, in registration order.</summary>
    public IReadOnlyList<string> Names => _catalog.Names;

    /// <summary>Builds the backend named <paramref name="name"/> (ordinal, case-sensitive), or says why not: an unknown name (listing the known ones) or an invalid option.</summary>
    public (IEnforcementBackend? Backend, string? Error) Create(string name, BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (_catalog.Find(name) is not { } r)
        {
            return (null, name == SimulatedGpuNode.BackendName
                ? $"unknown enforcement backend '{name}' (the simulated node is built by the replay, with its GPUs); known: {string.Join(", ", Names)}"
                : _catalog.Unknown(name));
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

using Gpupredict.Core.Enforcement;

namespace Gpupredict.Enforcement;

/// <summary>
/// The built-in enforcement backends (<see cref="BuiltInBackends"/>) by name, for code that runs
/// without a host. A host registers the same list with <see cref="EnforcementServiceCollectionExtensions.AddBackends"/>
/// and resolves <see cref="BackendCatalog"/>.
/// </summary>
public static class Backends
{
    /// <summary>The built-in catalog.</summary>
    public static BackendCatalog Catalog { get; } = new(BuiltInBackends.All);

    /// <summary>The names <see cref="Create"/> knows, in order.</summary>
    public static IReadOnlyList<string> Names => Catalog.Names;

    /// <summary>Builds the backend named <paramref name="name"/> (ordinal, case-sensitive), or says why not: an unknown name (listing the known ones) or an invalid option.</summary>
    public static (IEnforcementBackend? Backend, string? Error) Create(string name, BackendOptions options) => Catalog.Create(name, options);
}

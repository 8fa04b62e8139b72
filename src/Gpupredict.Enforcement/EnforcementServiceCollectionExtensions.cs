using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gpupredict.Enforcement;

/// <summary>Registers enforcement backends on a host's services.</summary>
public static class EnforcementServiceCollectionExtensions
{
    /// <summary>Registers every built-in backend and the catalog that looks them up by name.</summary>
    public static IServiceCollection AddBackends(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (BackendRegistration registration in BuiltInBackends.All)
        {
            services.AddBackend(registration);
        }

        return services;
    }

    /// <summary>Registers one backend by name (a later registration of the same name wins), and the catalog if not yet.</summary>
    public static IServiceCollection AddBackend(this IServiceCollection services, BackendRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        services.AddSingleton(registration);
        services.TryAddSingleton(sp => new BackendCatalog(sp.GetServices<BackendRegistration>()));
        return services;
    }
}

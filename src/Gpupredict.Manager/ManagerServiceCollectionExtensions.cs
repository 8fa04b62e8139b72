using Gpupredict.Core.Pipeline;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gpupredict.Manager;

/// <summary>Registers the resource manager's parts on a host's services.</summary>
public static class ManagerServiceCollectionExtensions
{
    /// <summary>Registers every built-in planning policy and the catalog that looks them up by name.</summary>
    public static IServiceCollection AddPlanners(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (PlannerRegistration registration in BuiltInPlanners.All)
        {
            services.AddPlanner(registration);
        }

        return services;
    }

    /// <summary>Registers one planning policy by name (a later registration of the same name wins), and the catalog if not yet.</summary>
    public static IServiceCollection AddPlanner(this IServiceCollection services, PlannerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        services.AddSingleton(registration);
        services.TryAddSingleton(sp => new PlannerCatalog(sp.GetServices<PlannerRegistration>()));
        return services;
    }

    /// <summary>Registers admission by <paramref name="policies"/> (<see cref="IAdmission"/>): an arriving application gets the terms of the first rule it matches.</summary>
    public static IServiceCollection AddPolicyAdmission(this IServiceCollection services, PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(policies);
        services.TryAddSingleton(new PolicyAdmission(policies));
        services.TryAddSingleton<IAdmission>(sp => sp.GetRequiredService<PolicyAdmission>());
        return services;
    }
}

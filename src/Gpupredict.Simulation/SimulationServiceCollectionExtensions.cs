using Gpupredict.Simulation.Comparison.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace Gpupredict.Simulation;

/// <summary>Registers the replay's comparison policies on a host's services.</summary>
public static class SimulationServiceCollectionExtensions
{
    /// <summary>Registers every built-in comparison policy (resolve them as <c>IEnumerable&lt;ComparisonPolicy&gt;</c>).</summary>
    public static IServiceCollection AddComparisonPolicies(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (ComparisonPolicy policy in ComparisonPolicies.All)
        {
            services.AddSingleton(policy);
        }

        return services;
    }
}

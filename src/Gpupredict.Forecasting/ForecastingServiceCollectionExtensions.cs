using Gpupredict.Core.Forecasts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gpupredict.Forecasting;

/// <summary>Registers forecasting policies on a host's services (as YARP registers its load-balancing policies).</summary>
public static class ForecastingServiceCollectionExtensions
{
    /// <summary>Registers every built-in forecaster and the catalog (<see cref="IForecasterCatalog"/>) that looks them up by name.</summary>
    public static IServiceCollection AddForecasters(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (ForecasterRegistration registration in BuiltInForecasters.All)
        {
            services.AddForecaster(registration);
        }

        return services;
    }

    /// <summary>Registers one forecaster by name (a later registration of the same name wins), and the catalog if not yet.</summary>
    public static IServiceCollection AddForecaster(this IServiceCollection services, ForecasterRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        services.AddSingleton(registration);
        services.TryAddSingleton(sp => new ForecasterCatalog(sp.GetServices<ForecasterRegistration>()));
        services.TryAddSingleton<IForecasterCatalog>(sp => sp.GetRequiredService<ForecasterCatalog>());
        return services;
    }
}

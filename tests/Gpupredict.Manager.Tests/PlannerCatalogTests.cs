using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using Microsoft.Extensions.DependencyInjection;

namespace Gpupredict.Manager.Tests;

/// <summary>Planners registered by name on a host's services.</summary>
public sealed class PlannerCatalogTests
{
    [Fact]
    public void AddPlanners_ResolvesTheBuiltInCatalog_ForecastPlannerGetsTheOptions()
    {
        using ServiceProvider services = new ServiceCollection().AddPlanners().BuildServiceProvider();
        var catalog = services.GetRequiredService<PlannerCatalog>();
        var options = new ForecastPlannerOptions { UpperQuantile = 0.9 };

        Assert.Equal(["static-peak", "forecast", "reactive", "hami", "oracle"], catalog.Names);
        Assert.Equal(0.9, Assert.IsType<ForecastPlanner>(catalog.Create("forecast", options)).Options.UpperQuantile);
        Assert.IsType<HamiPlanner>(catalog.Create("hami"));
    }

    [Fact]
    public void AddPlanner_SameNameLater_Replaces()
    {
        using ServiceProvider services = new ServiceCollection().AddPlanners().AddPlanner(new PlannerRegistration("hami", _ => new StaticPeakPlanner())).BuildServiceProvider();

        IPlanner planner = services.GetRequiredService<PlannerCatalog>().Create("hami");

        Assert.IsType<StaticPeakPlanner>(planner);
    }
}

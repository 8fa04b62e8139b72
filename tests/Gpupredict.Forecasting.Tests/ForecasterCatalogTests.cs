using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;
using Microsoft.Extensions.DependencyInjection;

namespace Gpupredict.Forecasting.Tests;

/// <summary>Forecasters registered by name on a host's services: one list, looked up by name, a later registration replacing an earlier one.</summary>
public sealed class ForecasterCatalogTests
{
    [Fact]
    public void AddForecasters_ResolvesTheBuiltInCatalog()
    {
        using ServiceProvider services = new ServiceCollection().AddForecasters().BuildServiceProvider();

        var catalog = services.GetRequiredService<IForecasterCatalog>();

        Assert.Equal(Forecasters.Names, catalog.Names);
        Assert.IsType<EwmaQuantileForecaster>(catalog.Create("ewma", new ForecasterSpec(3, [0.5, 0.9])));
        Assert.Equal("conformal-vpa", catalog.Create("conformal-vpa", new ForecasterSpec(3, [0.1, 0.5, 0.9])).Name);
    }

    [Fact]
    public void AddForecaster_SameNameLater_ReplacesAndKeepsItsPlace()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddForecasters()
            .AddForecaster(new ForecasterRegistration("ewma", s => new LastValueForecaster(s.Horizon, s.Levels), null, "a test's stand-in"))
            .BuildServiceProvider();

        var catalog = services.GetRequiredService<ForecasterCatalog>();

        Assert.Equal("ewma", catalog.Names[0]);
        Assert.IsType<LastValueForecaster>(catalog.Create("ewma", new ForecasterSpec(3, [0.5])));
        Assert.False(catalog.IsLoadable("ewma", out string? why));
        Assert.Equal("a test's stand-in", why);
    }

    [Fact]
    public void Create_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Forecasters.Create("prophet", 3, [0.5]));

        Assert.StartsWith($"unknown forecaster 'prophet'; known: {string.Join(", ", Forecasters.Names)}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OracleOutsideAReplay_SaysItNeedsOne()
    {
        var e = Assert.Throws<ArgumentException>(() => Forecasters.Create("oracle", 3, [0.5]));

        Assert.Contains("reads the recorded future: it runs only in a replay", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForecastingNames_LeaveOutTheComparisonBaselines()
    {
        Assert.DoesNotContain("oracle", Forecasters.Catalog.ForecastingNames);
        Assert.DoesNotContain("reactive-window", Forecasters.Catalog.ForecastingNames);
        Assert.Contains("ewma", Forecasters.Catalog.ForecastingNames);
    }
}

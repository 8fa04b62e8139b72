using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Core.Tests;

public class ForecastTests
{
    private static readonly AppId App = new(42, 7);

    [Fact]
    public void Get_ValuesLaidOutHorizonLevelResource_ReturnsEach()
    {
        // 2 steps x 2 levels x 3 resources; value = 100h + 10q + r.
        double[] values = new double[12];
        for (int h = 0; h < 2; h++)
        {
            for (int q = 0; q < 2; q++)
            {
                for (int r = 0; r < 3; r++)
                {
                    values[(((h * 2) + q) * 3) + r] = (100 * h) + (10 * q) + r;
                }
            }
        }

        var f = new Forecast(App, 5, 2, [0.5, 0.9], values);

        Assert.Equal(112, f.Get(1, 1, Resource.Vram));
        Assert.Equal(10, f.Get(0, 1, Resource.Sm));
        Assert.Equal(101, f.Quantile(1, 0.5, Resource.MemoryBandwidth));
        Assert.Equal(1, f.LevelIndex(0.9));
        Assert.Contains("carries quantile levels [0.5, 0.9], not 0.99", Assert.Throws<ArgumentException>(() => f.LevelIndex(0.99)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => f.Quantile(0, 0.6, Resource.Sm)); // never rounded to a neighbouring level
        Assert.Equal(new ResourceVector(110, 111, 112), f.MaxOver(2, 1));
    }

    [Theory]
    [InlineData(new[] { 0.0, 0.5 }, "not inside (0, 1)")]
    [InlineData(new[] { 0.5, 1.0 }, "not inside (0, 1)")]
    [InlineData(new[] { 0.9, 0.5 }, "must increase")]
    [InlineData(new[] { 0.5, 0.5 }, "must increase")]
    public void Constructor_BadLevels_ThrowsNamingTheLevel(double[] levels, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new Forecast(App, 0, 1, levels, new double[levels.Length * 3]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CrossingQuantiles_Throws()
    {
        // Level 0.9 of SM (0.2) below level 0.5 (0.4).
        double[] values = [0.4, 1, 1, 0.2, 2, 2];
        var e = Assert.Throws<ArgumentException>(() => new Forecast(App, 0, 1, [0.5, 0.9], values));
        Assert.Contains("quantiles cross at h=0, Sm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongValueCount_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Forecast(App, 0, 2, [0.5], new double[5]));
        Assert.Contains("expected 2 x 1 x 3 = 6 values, got 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NotFinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Forecast(App, 0, 1, [0.5], [double.NaN, 0, 0]));
    }
}

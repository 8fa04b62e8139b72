using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests;

public class EwmaQuantileForecasterTests
{
    private static readonly AppId App = new(10, 1);
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    [Fact]
    public void Predict_ConstantDemand_AllQuantilesEqualTheConstant()
    {
        var f = new EwmaQuantileForecaster(3, Levels);
        for (int t = 0; t < 20; t++)
        {
            f.Observe(App, t, new ResourceVector(0.4, 1e9, 2e9));
        }

        Forecast forecast = f.Predict(App);

        Assert.Equal(19, forecast.OriginStep);
        for (int h = 0; h < 3; h++)
        {
            for (int q = 0; q < Levels.Length; q++)
            {
                Assert.Equal(0.4, forecast.Get(h, q, Resource.Sm), 12);
                Assert.Equal(2e9, forecast.Get(h, q, Resource.Vram), 3);
            }
        }
    }

    [Fact]
    public void Predict_TwoSteps_LevelAndErrorArithmetic()
    {
        // alpha 0.5: seed level 0.2; step 1 sees 0.6 -> error 0.6 - 0.2 = 0.4, level 0.2 + 0.5*0.4 = 0.4.
        // One error (0.4): every quantile = 0.4 + 0.4 = 0.8.
        var f = new EwmaQuantileForecaster(1, Levels, alpha: 0.5);
        f.Observe(App, 0, new ResourceVector(0.2, 0, 0));
        f.Observe(App, 1, new ResourceVector(0.6, 0, 0));

        Forecast forecast = f.Predict(App);

        Assert.Equal(0.8, forecast.Get(0, 0, Resource.Sm), 12);
        Assert.Equal(0.8, forecast.Get(0, 2, Resource.Sm), 12);
    }

    [Fact]
    public void Predict_NoisyDemand_QuantilesOrderedAndClampedToRange()
    {
        var f = new EwmaQuantileForecaster(5, [0.01, 0.5, 0.99]);
        var rng = new Random(1234);
        for (int t = 0; t < 500; t++)
        {
            f.Observe(App, t, new ResourceVector(rng.NextDouble(), rng.NextDouble() * 1e9, rng.NextDouble() * 1e6));
        }

        Forecast forecast = f.Predict(App);

        Assert.True(forecast.Get(0, 0, Resource.Sm) >= 0);
        Assert.True(forecast.Get(0, 2, Resource.Sm) <= 1);
        Assert.True(forecast.Get(0, 0, Resource.Sm) < forecast.Get(0, 2, Resource.Sm));
    }

    [Fact]
    public void Predict_SameInputs_SameForecast()
    {
        Forecast a = Run();
        Forecast b = Run();
        for (int q = 0; q < Levels.Length; q++)
        {
            Assert.Equal(a.Get(1, q, Resource.MemoryBandwidth), b.Get(1, q, Resource.MemoryBandwidth));
        }

        static Forecast Run()
        {
            var f = new EwmaQuantileForecaster(2, Levels);
            var rng = new Random(7);
            for (int t = 0; t < 100; t++)
            {
                f.Observe(App, t, new ResourceVector(rng.NextDouble(), rng.NextDouble() * 1e9, 0));
            }

            return f.Predict(App);
        }
    }

    [Fact]
    public void Observe_StepNotIncreasing_Throws()
    {
        var f = new EwmaQuantileForecaster(1, Levels);
        f.Observe(App, 5, default);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Observe(App, 5, default));
    }

    [Fact]
    public void Predict_UnknownOrForgottenApp_Throws()
    {
        var f = new EwmaQuantileForecaster(1, Levels);
        f.Observe(App, 0, default);
        f.Forget(App);
        Assert.Throws<InvalidOperationException>(() => f.Predict(App));
    }

    [Theory]
    [InlineData(0.5, 4, 1)]
    [InlineData(0.9, 10, 8)]
    [InlineData(0.99, 10, 9)]
    [InlineData(0.01, 10, 0)]
    public void NearestRank_Level_Index(double level, int n, int expected) =>
        Assert.Equal(expected, EwmaQuantileForecaster.NearestRank(level, n));

    [Fact]
    public void Create_UnknownName_ListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Forecasters.Create("lstm9", 1, Levels));
        Assert.Contains("known: ewma", e.Message, StringComparison.Ordinal);
    }
}

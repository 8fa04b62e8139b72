using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Baselines;

namespace Gpupredict.Forecasting.Tests.Baselines;

public class LastValueForecasterTests
{
    private static readonly AppId App = new(20, 1);
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    [Fact]
    public void Predict_AfterSeveralSteps_EveryLevelAndStepIsTheLastValue()
    {
        var f = new LastValueForecaster(4, Levels);
        f.Observe(App, 0, new ResourceVector(0.9, 5e9, 1e9));
        f.Observe(App, 3, new ResourceVector(0.2, 1e8, 3e9));

        Forecast forecast = f.Predict(App);

        Assert.Equal(3, forecast.OriginStep);
        for (int h = 0; h < 4; h++)
        {
            for (int q = 0; q < Levels.Length; q++)
            {
                Assert.Equal(0.2, forecast.Get(h, q, Resource.Sm));
                Assert.Equal(1e8, forecast.Get(h, q, Resource.MemoryBandwidth));
                Assert.Equal(3e9, forecast.Get(h, q, Resource.Vram));
            }
        }
    }

    [Fact]
    public void Observe_StepNotIncreasing_Throws()
    {
        var f = new LastValueForecaster(1, Levels);
        f.Observe(App, 5, default);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Observe(App, 5, default));
    }

    [Fact]
    public void Predict_ForgottenApp_Throws()
    {
        var f = new LastValueForecaster(1, Levels);
        f.Observe(App, 0, default);
        f.Forget(App);
        Assert.Throws<InvalidOperationException>(() => f.Predict(App));
    }
}

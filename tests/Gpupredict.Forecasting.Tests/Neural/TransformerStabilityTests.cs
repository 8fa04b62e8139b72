using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

public class TransformerStabilityTests
{
    [Fact]
    public void Predict_IdleAfterTrainingOnGigabytes_StaysFinite()
    {
        // Trained on ~20 GB of VRAM, then an application holding nothing: the normalised input sits
        // dozens of standard deviations out, which overflowed an unshifted softmax into NaN.
        const int steps = 400;
        var rng = new Random(3);
        double[] sm = new double[steps], bw = new double[steps], vram = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            sm[i] = rng.NextDouble();
            vram[i] = 2e10 + (1e9 * rng.NextDouble());
        }

        var train = new DemandSeries(new AppId(1, 1), "busy", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations);
        var f = new TransformerQuantileForecaster(5, [0.01, 0.1, 0.5, 0.9, 0.99]);
        f.Fit([train], seed: 1);
        var idle = new AppId(2, 1);
        for (int t = 0; t < 40; t++)
        {
            f.Observe(idle, t, ResourceVector.Zero);
        }

        Forecast forecast = f.Predict(idle);

        Assert.True(double.IsFinite(forecast.Get(0, 0, Resource.Sm)));
    }
}

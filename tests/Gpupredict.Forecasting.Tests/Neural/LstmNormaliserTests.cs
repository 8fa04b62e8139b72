using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

public class LstmNormaliserTests
{
    [Fact]
    public void Denormalise_HugeUpperQuantile_CappedAtFourTimesTrainingMax()
    {
        // VRAM in training never exceeds 1 MB; a network output far out in log space must come back
        // as at most 4 x 1 MB (plus the log1p's one byte), not as exp(60) bytes.
        double[] vram = [1e5, 5e5, 1e6];
        var s = new DemandSeries(new AppId(1, 1), "a", 0, new double[3], new double[3], vram, ObservedSignals.VramFromAllocations);
        LstmNormaliser n = LstmNormaliser.Fit([s]);
        Span<float> values = [1e6f, n.Normalise((int)Resource.Vram, 2e6)];

        n.Denormalise((int)Resource.Vram, values);

        Assert.InRange(values[0], 3.99e6, 4.01e6);
        Assert.InRange(values[1], 1.99e6, 2.01e6);
    }
}

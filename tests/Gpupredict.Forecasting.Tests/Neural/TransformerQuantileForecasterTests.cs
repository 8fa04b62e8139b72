using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>The Transformer forecaster against the neural contract, untrained persistence, and streaming against training windows.</summary>
public sealed class TransformerQuantileForecasterTests : NeuralForecasterContractTests
{
    private static readonly TransformerOptions SmallOptions = new(Model: 16, Window: 24, FeedForward: 32);

    private protected override string Policy => "transformer";

    private protected override int WarmBatchApps => 20;

    private protected override NeuralModel Small(int horizon, double[] levels, int? trainingSteps) =>
        Bind(new TransformerQuantileForecaster(horizon, levels, trainingSteps is int steps ? SmallOptions with { TrainingSteps = steps } : SmallOptions));

    private protected override NeuralModel Narrow(int horizon, double[] levels) => Bind(new TransformerQuantileForecaster(horizon, levels, SmallOptions with { Model = 2 }));

    private protected override NeuralModel Wide(int horizon, double[] levels) => Bind(new TransformerQuantileForecaster(horizon, levels));

    private protected override NeuralModel Load(BinaryReader reader, ushort payloadVersion) => Bind(TransformerQuantileForecaster.Load(reader, payloadVersion));

    [Fact]
    public void Predict_Untrained_MedianIsTheNewestValue()
    {
        var f = new TransformerQuantileForecaster(2, Levels, SmallOptions);
        var app = new AppId(1, 1);
        f.Observe(app, 0, new ResourceVector(0.2, 1e9, 3e9));
        f.Observe(app, 1, new ResourceVector(0.7, 2e9, 1e9));

        Forecast forecast = f.Predict(app);
        for (int h = 0; h < 2; h++)
        {
            Assert.Equal(0.7, forecast.Quantile(h, 0.5, Resource.Sm), 1e-6);
            Assert.Equal(2e9, forecast.Quantile(h, 0.5, Resource.MemoryBandwidth), 2e9 * 1e-6);
            Assert.Equal(1e9, forecast.Quantile(h, 0.5, Resource.Vram), 1e9 * 1e-6);
        }
    }

    /// <summary>
    /// The ring a stream fills holds what training sees: after 5 steps (4 of the window's 6
    /// positions still padding) and after 40 (the ring has wrapped), Predict's median equals the
    /// head on the encoder output of the training window ending at the same step.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void Predict_Streamed_SameAsTrainingWindow(int steps)
    {
        TransformerQuantileForecaster f = FitPeriodic(new TransformerQuantileForecaster(4, Levels, SmallOptions with { Window = 6, TrainingSteps = 10 }), 2);
        DemandSeries s = Periodic(5, steps, 5);
        for (int t = 0; t < steps; t++)
        {
            f.Observe(s.App, t, s[t]);
        }

        ScaledSeries series = ScaledSeries.Build(s, f.Options.ScaleDecay);
        var encoder = new TransformerEncoder(f.Layout);
        TransformerWindow.Fill(f.Layout.Window, series, steps - 1, encoder.Input);
        encoder.Forward(f.Parameters);
        float[] raw = new float[f.Layout.Outputs];
        TransformerMath.Affine(f.Parameters, f.Layout.HeadOffset, f.Layout.HeadBiasOffset, encoder.Output, raw);
        float[] expected = new float[f.Layout.Outputs];
        new RecurrentHead(f.Horizon, f.Layout.Levels, f.Layout.Median, f.Layout.HeadOffset, f.Layout.HeadBiasOffset).Emit(raw, series.Scaling.AsSpan((steps - 1) * StepFeatures.ScalingCount, StepFeatures.ScalingCount), expected);

        Forecast forecast = f.Predict(s.App);
        Assert.Equal(steps - 1, forecast.OriginStep);
        double[] got = Values(forecast);
        for (int i = 0; i < expected.Length; i++)
        {
            // Training and streaming both scale the float-rounded demand; equal to float precision.
            Assert.Equal(expected[i], got[i], Math.Abs(expected[i]) * 1e-5);
        }
    }

    private static NeuralModel Bind(TransformerQuantileForecaster f) =>
        new(f, () => f.Parameters, f.Options, f.Slot, f.StepBatch, f.OutputsPerApp, () => HeldOutLoss(f));

    /// <summary>Mean pinball loss (normalised space) of the forecasts made at steps 50..249 of an unseen series.</summary>
    private static double HeldOutLoss(TransformerQuantileForecaster f)
    {
        ScaledSeries series = ScaledSeries.Build(Periodic(3, 300, 99), f.Options.ScaleDecay);
        var window = new TransformerWindow(f.Layout);
        float[] grad = new float[f.Layout.Count];
        double loss = 0;
        for (int end = 50; end < 250; end++)
        {
            loss += window.Run(f.Parameters, grad, series, end, 1f);
        }

        return loss / 200;
    }
}

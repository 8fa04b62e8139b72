using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The analytic gradient of <see cref="MlpQuantileForecaster"/>'s training loss (<see cref="MlpNetwork"/>
/// backward through <see cref="MlpHead"/>'s spread-scaled, non-crossing quantiles) against central
/// finite differences on a tiny model (lookback 3, hidden 5, 2 horizon steps, 3 levels, 3 rows), for
/// every parameter of every group.
/// </summary>
public class MlpGradientTests
{
    [Theory]
    [InlineData("W1")]
    [InlineData("b1")]
    [InlineData("W2")]
    [InlineData("b2")]
    [InlineData("W3")]
    [InlineData("b3")]
    public void Backward_AnalyticGradient_MatchesFiniteDifferences(string group)
    {
        const int rows = 3;
        var layout = new MlpLayout(3, 5, 2, [0.1, 0.5, 0.9]);
        var rng = new Random(42);
        float[] p = GradientCheck.RandomParameters(rng, layout.Count);
        float[] x = GradientCheck.RandomValues(rng, rows * layout.Features);
        float[] y = GradientCheck.RandomValues(rng, rows * layout.Horizon);
        float[] bases = [0.3f, -0.2f, 1.1f];
        float[] spreads = [0.5f, 1.5f, 0.05f];
        var network = new MlpNetwork(layout, rows);
        var head = new MlpHead(layout, rows);
        float[] dRaw = new float[rows * layout.Outputs];
        (int from, int to) = group switch
        {
            "W1" => (layout.W1, layout.B1),
            "b1" => (layout.B1, layout.W2),
            "W2" => (layout.W2, layout.B2),
            "b2" => (layout.B2, layout.W3),
            "W3" => (layout.W3, layout.B3),
            _ => (layout.B3, layout.Count),
        };

        GradientCheck.AssertMatches(
            (q, grad) =>
            {
                network.Forward(q, x, rows);
                head.Forward(network.Raw, bases, spreads, rows);
                double loss = head.Loss(network.Raw, y, [1f, 0.5f, 2f], rows, dRaw, 1f);
                network.Backward(q, grad, x, dRaw, rows);
                return loss;
            },
            p,
            from,
            to,
            group);
    }
}

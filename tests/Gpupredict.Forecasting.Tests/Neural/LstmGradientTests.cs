using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The analytic BPTT gradient of <see cref="LstmWindow"/> against central finite differences on a
/// tiny network (H = 3, 4 steps, 2 horizon steps, 3 levels), for every parameter of every group.
/// </summary>
public class LstmGradientTests
{
    private const int Steps = 4, BurnIn = 1, Start = 1;

    public static TheoryData<string> Groups() => new(["input weights", "recurrent weights", "gate biases", "head weights", "head biases"]);

    [Theory]
    [MemberData(nameof(Groups))]
    public void Run_AnalyticGradient_MatchesFiniteDifferences(string group)
    {
        var layout = new LstmLayout(3, 2, [0.1, 0.5, 0.9]);
        var rng = new Random(42);
        float[] p = GradientCheck.RandomParameters(rng, layout.Count);
        ScaledSeries series = GradientCheck.RandomSeries(rng, Start + Steps + layout.Horizon);
        var window = new LstmWindow(layout, Steps);
        (int from, int to) = Range(layout, group);

        GradientCheck.AssertMatches((q, grad) => window.Run(q, grad, series, Start, Steps, BurnIn, 1f), p, from, to, group);
    }

    private static (int From, int To) Range(LstmLayout l, string group) => group switch
    {
        "input weights" => (0, StepFeatures.Count * l.Gates),
        "recurrent weights" => (StepFeatures.Count * l.Gates, l.BiasOffset),
        "gate biases" => (l.BiasOffset, l.HeadOffset),
        "head weights" => (l.HeadOffset, l.HeadBiasOffset),
        _ => (l.HeadBiasOffset, l.Count),
    };
}

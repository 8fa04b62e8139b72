using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The analytic gradient of <see cref="TransformerWindow"/> (encoder backward pass and quantile head)
/// against central finite differences on a tiny model (d = 4, W = 3, feed-forward 5, 2 horizon
/// steps, 3 levels), for every parameter of every group, with a full window and a zero-padded one.
/// </summary>
public class TransformerGradientTests
{
    private static readonly TransformerOptions Tiny = new(Model: 4, Window: 3, FeedForward: 5);

    private static readonly string[] GroupNames =
    [
        "input weights", "input bias", "positions", "query", "key", "value", "query bias", "key bias", "value bias",
        "out", "out bias", "gain 1", "shift 1", "hidden", "hidden bias", "back", "back bias", "gain 2", "shift 2",
        "head weights", "head biases",
    ];

    public static TheoryData<string, int> Groups()
    {
        var data = new TheoryData<string, int>();
        foreach (string group in GroupNames)
        {
            // End 4: a full window of real steps; end 1: the oldest position is padding.
            data.Add(group, 4);
            data.Add(group, 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Run_AnalyticGradient_MatchesFiniteDifferences(string group, int end)
    {
        var layout = new TransformerLayout(Tiny, 2, [0.1, 0.5, 0.9]);
        var rng = new Random(42);
        float[] p = GradientCheck.RandomParameters(rng, layout.Count);
        ScaledSeries series = GradientCheck.RandomSeries(rng, end + 1 + layout.Horizon);
        var window = new TransformerWindow(layout);
        (int from, int to) = Range(layout, group);

        GradientCheck.AssertMatches((q, grad) => window.Run(q, grad, series, end, 1f), p, from, to, group);
    }

    private static (int From, int To) Range(TransformerLayout l, string group)
    {
        int[] starts =
        [
            l.InputWeights, l.InputBias, l.Position, l.Query, l.Key, l.Value, l.QueryBias, l.KeyBias, l.ValueBias,
            l.Out, l.OutBias, l.Gain1, l.Shift1, l.Hidden, l.HiddenBias, l.Back, l.BackBias, l.Gain2, l.Shift2,
            l.HeadOffset, l.HeadBiasOffset, l.Count,
        ];
        int g = Array.IndexOf(GroupNames, group);
        return (starts[g], starts[g + 1]);
    }
}

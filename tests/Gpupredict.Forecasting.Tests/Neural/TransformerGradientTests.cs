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
        float[] p = new float[layout.Count];

        // Random biases, gains and shifts too (training starts them at 0 or 1), so every gradient is exercised off its start.
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = ((2 * rng.NextSingle()) - 1) * 0.8f;
        }

        float[] series = new float[(end + 1 + layout.Horizon) * 3];
        for (int i = 0; i < series.Length; i++)
        {
            series[i] = (float)((rng.NextDouble() * 4) - 2);
        }

        var window = new TransformerWindow(layout);
        float[] grad = new float[layout.Count];
        window.Run(p, grad, series, end, 1f);
        (int from, int to) = Range(layout, group);
        Assert.True(to > from, $"group {group} is empty");
        for (int i = from; i < to; i++)
        {
            double numeric = Numeric(window, p, series, end, i, 1e-3f);
            if (!Close(grad[i], numeric))
            {
                // A pinball kink within ±1e-3 spoils the wider difference; a narrower one is clear of it.
                numeric = Numeric(window, p, series, end, i, 2.5e-4f);
            }

            Assert.True(Close(grad[i], numeric), $"{group} parameter [{i}]: analytic {grad[i]:G6}, numeric {numeric:G6}");
        }
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

    private static double Numeric(TransformerWindow window, float[] p, float[] series, int end, int i, float eps)
    {
        float[] scratch = new float[p.Length];
        float saved = p[i];
        p[i] = saved + eps;
        double up = window.Run(p, scratch, series, end, 1f);
        p[i] = saved - eps;
        double down = window.Run(p, scratch, series, end, 1f);
        p[i] = saved;
        return (up - down) / ((double)(saved + eps) - (saved - eps));
    }

    private static bool Close(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) <= 2e-4 + (0.03 * Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
}

using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The analytic BPTT gradient of <see cref="RecurrentWindow"/> against central finite differences on
/// a tiny network (H = 3, 4 steps, 2 horizon steps, 3 levels), for every parameter of every group of
/// the GRU and the Elman cell.
/// </summary>
public class RecurrentGradientTests
{
    private const int Steps = 4, BurnIn = 1, Start = 1;

    private static readonly string[] GroupNames = ["input weights", "recurrent weights", "input biases", "recurrent biases", "head weights", "head biases"];

    public static TheoryData<string, string> Groups()
    {
        var data = new TheoryData<string, string>();
        foreach (string cell in new[] { "gru", "rnn" })
        {
            foreach (string group in GroupNames)
            {
                data.Add(cell, group);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Run_AnalyticGradient_MatchesFiniteDifferences(string cellName, string group)
    {
        IRecurrentCell cell = cellName == "gru" ? GruCell.Instance : RnnCell.Instance;
        var layout = new RecurrentLayout(3, cell.GatesPerUnit, 2, [0.1, 0.5, 0.9]);
        var rng = new Random(42);
        float[] p = GradientCheck.RandomParameters(rng, layout.Count);
        ScaledSeries series = GradientCheck.RandomSeries(rng, Start + Steps + layout.Horizon);
        var window = new RecurrentWindow(layout, cell, Steps);
        (int from, int to) = Range(layout, group);

        GradientCheck.AssertMatches((q, grad) => window.Run(q, grad, series, Start, Steps, BurnIn, 1f), p, from, to, $"{cellName} {group}");
    }

    private static (int From, int To) Range(RecurrentLayout l, string group) => group switch
    {
        "input weights" => (0, l.RecurrentOffset),
        "recurrent weights" => (l.RecurrentOffset, l.BiasOffset),
        "input biases" => (l.BiasOffset, l.RecurrentBiasOffset),
        "recurrent biases" => (l.RecurrentBiasOffset, l.HeadOffset),
        "head weights" => (l.HeadOffset, l.HeadBiasOffset),
        _ => (l.HeadBiasOffset, l.Count),
    };
}

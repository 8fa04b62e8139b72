using System.Diagnostics;
using System.Globalization;
using Gpupredict.Core.Forecasts;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Gpupredict.Simulation.Replay;
using Gpupredict.Telemetry.Datasets;

namespace Gpupredict.Bench;

/// <summary>
/// Replay throughput in application-steps per second, and how it scales: the Alibaba GenAI pods,
/// once, twice and four times over (copies start together), on the same 64 simulated H100s under
/// the shipped policy, forecaster ewma, through the tick loop the daemon runs. Whole replays, timed
/// with a stopwatch in one process after a warm-up, interleaved rounds, the median reported: the
/// ratios within one run are the figure (these machines are noisy), not the absolute rate.
/// Needs the dataset (not in the repository); without it, says so and exits 0.
/// </summary>
internal static class ReplayThroughput
{
    public const string Verb = "replay-throughput";

    private static readonly int[] Copies = [1, 2, 4];

    public static int Run(string[] args)
    {
        string folder = args.Length > 1 ? args[1] : DefaultFolder();
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        if (!Directory.Exists(folder))
        {
            Console.WriteLine($"{Verb}: skipped: the Alibaba GenAI dataset is not at '{folder}' (give its folder as the first argument)");
            return 0;
        }

        AlibabaGenAiData data = AlibabaGenAi.Load(folder, new AlibabaGenAiOptions());
        IReadOnlyList<ReplayApp> pods = ReplayApps.AsRecorded(data.Series);
        long stepNs = ReplayApps.StepOf(data.Series);
        var timings = Copies.ToDictionary(c => c, _ => new List<double>());
        var appSteps = Copies.ToDictionary(c => c, c => ReplayCopies.Make(pods, c, 0).Sum(a => a.Series.Count));

        Replay(pods, stepNs); // warm-up: JIT and tiered compilation
        for (int r = 0; r < rounds; r++)
        {
            foreach (int c in Copies)
            {
                IReadOnlyList<ReplayApp> apps = ReplayCopies.Make(pods, c, 0);
                var clock = Stopwatch.StartNew();
                Replay(apps, stepNs);
                timings[c].Add(clock.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine($"{pods.Count} pods, {data.Series.Max(s => s.Count)} steps of {stepNs / 1e9:0.###} s, 64 x H100, policy forecast (shipped), ewma; median of {rounds} rounds");
        Console.WriteLine("copies  applications  app-steps    seconds  app-steps/s  time vs 1x / copies");
        double baseline = Median(timings[1]);
        foreach (int c in Copies)
        {
            double s = Median(timings[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c,6}  {pods.Count * c,12}  {appSteps[c],9}  {s,9:0.00}  {appSteps[c] / s,11:0}  {s / baseline / c,19:0.00}"));
        }

        return 0;
    }

    private static void Replay(IReadOnlyList<ReplayApp> apps, long stepNs)
    {
        ForecastPlannerOptions options = PolicyPlanning.Options(PolicySet.BuiltIn.Node, stepNs);
        var planner = new ForecastPlanner(options);
        var node = new SimulatedGpuNode([.. Enumerable.Range(0, 64).Select(SimulatedGpuSpec.H100Sxm)], new SimulatedCosts { StepNs = stepNs });
        NodeReplay.Run(apps, new EwmaQuantileForecaster(10, QuantileGrid.For(planner.Quantiles).LevelList), planner, node, admission: new PolicyAdmission(PolicySet.BuiltIn));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static string DefaultFolder()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "gpupredictd.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? ".", "..", "shared", "data", "alibaba-clusterdata", "cluster-trace-v2026-GenAI");
    }
}

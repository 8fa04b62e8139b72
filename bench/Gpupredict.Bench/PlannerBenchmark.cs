using BenchmarkDotNet.Attributes;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Planning;

namespace Gpupredict.Bench;

/// <summary>
/// One plan of the forecast planner for a node in steady state: every application already holds a
/// grant on one of 8 GPUs, forecasts of 10 steps at 5 levels, migration checks, under the shipped
/// policy and the earlier one. The manager plans every 10 ms tick, so this must stay well under 10 ms.
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmark
{
    private const int Gpus = 8;
    private static readonly double[] Levels = [0.01, 0.1, 0.5, 0.9, 0.99];

    private ForecastPlanner _planner = null!;
    private NodeView _view = null!;
    private PlanRequest[] _requests = [];

    /// <summary>Applications on the node.</summary>
    [Params(100, 1000)]
    public int Apps { get; set; }

    /// <summary>
    /// The shipped policy ("work-conserving": reservations at each GPU's joint tail, limits into
    /// what nobody reserves, no oversubscription) or the earlier one ("hard-caps": upper-quantile
    /// caps, oversubscription 1.5 with bin packing).
    /// </summary>
    [Params("work-conserving", "hard-caps")]
    public string Policy { get; set; } = "work-conserving";

    /// <summary>Builds the node, its grants and one forecast per application.</summary>
    [GlobalSetup]
    public void Setup()
    {
        bool workConserving = Policy == "work-conserving";
        _planner = new ForecastPlanner(new ForecastPlannerOptions { WorkConserving = workConserving, MaxOversubscription = workConserving ? 1 : 1.5 });
        var rng = new Random(1);
        GpuCapacity[] gpus = [.. Enumerable.Range(0, Gpus).Select(g => new GpuCapacity(g, "H100", new ResourceVector(1, 3.35e12, 80e9)))];
        var current = new Dictionary<AppId, GpuAllocation>();
        _requests = new PlanRequest[Apps];
        double vramPerApp = 80e9 * Gpus / Apps / 2;
        for (int i = 0; i < Apps; i++)
        {
            var app = new AppId(i + 1, 1);
            double sm = 0.5 * Gpus / Apps * rng.NextDouble(), vram = vramPerApp * rng.NextDouble();
            double[] values = new double[10 * Levels.Length * Resources.Count];
            for (int h = 0; h < 10; h++)
            {
                for (int q = 0; q < Levels.Length; q++)
                {
                    double scale = 0.6 + (0.2 * q);
                    int at = ((h * Levels.Length) + q) * Resources.Count;
                    (values[at], values[at + 1], values[at + 2]) = (sm * scale, 1e9 * scale, vram * scale);
                }
            }

            var forecast = new Forecast(app, 0, 10, Levels, values);
            var now = new ResourceVector(sm, 1e9, vram);
            _requests[i] = new PlanRequest(app, Priority.Default, forecast, now, now, null, new DemandTracking(0, 0, 0));
            ulong quota = VramGranularity.RoundUp(vram * 1.4 * 1.05);
            current[app] = new GpuAllocation(app, i % Gpus, quota, quota, Math.Min(1, sm * 1.4 * 1.05), 0, 10);
        }

        _view = new NodeView(1, gpus, current);
    }

    /// <summary>One plan.</summary>
    [Benchmark]
    public AllocationPlan Plan() => _planner.Plan(_view, _requests);
}

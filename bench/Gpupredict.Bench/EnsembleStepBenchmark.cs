using BenchmarkDotNet.Attributes;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting;
using Gpupredict.Forecasting.Ensemble;

namespace Gpupredict.Bench;

/// <summary>
/// One tick of the <c>ensemble</c> forecaster (<see cref="EnsembleForecaster.Step"/>) for 1,000
/// applications, four quantile levels, next to its members stepping the same batch on their own
/// (<see cref="MembersAlone"/>): the difference is the ensemble's own cost (scoring each member's
/// past forecasts, weighing, combining). Members fitted on synthetic series, every application warm.
/// Goal: the ensemble's own part allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class EnsembleStepBenchmark
{
    private const int Apps = 1000;
    private const int Ticks = 64;
    private static readonly double[] Levels = [0.1, 0.5, 0.9, 0.99];

    private EnsembleForecaster _ensemble = null!;
    private IForecaster[] _alone = [];
    private ForecastBatch _ensembleBatch = null!;
    private ForecastBatch _aloneBatch = null!;
    private ResourceVector[] _demand = [];
    private long _ensembleStep;
    private long _aloneStep;

    /// <summary>Steps forecast ahead (10 ms each).</summary>
    [Params(1, 10)]
    public int Horizon { get; set; }

    /// <summary>The members, anchor first: two, or the default three (<see cref="EnsembleForecaster.DefaultMembers"/>).</summary>
    [Params("ewma,lstm", "ewma,mlp,lstm")]
    public string Members { get; set; } = "";

    /// <summary>Fits both copies of the members, builds the demand of 64 ticks and warms every application.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] names = Members.Split(',');
        DemandSeries[] training = [.. Enumerable.Range(0, 4).Select(i => Series(i, 1000))];
        _ensemble = new EnsembleForecaster([.. names.Select(n => Forecasters.Create(n, Horizon, Levels))]);
        _ensemble.Fit(training, 1);
        _alone = [.. names.Select(n => Forecasters.Create(n, Horizon, Levels))];
        foreach (IForecaster f in _alone)
        {
            f.Fit(training, 1);
        }

        var rng = new Random(2);
        _demand = new ResourceVector[Ticks * Apps];
        for (int i = 0; i < _demand.Length; i++)
        {
            _demand[i] = new ResourceVector(rng.NextDouble(), rng.NextDouble() * 1e10, 1e9 + (rng.NextDouble() * 1e9));
        }

        _ensembleBatch = new ForecastBatch(Horizon, Levels);
        _aloneBatch = new ForecastBatch(Horizon, Levels);
        for (int t = 0; t < 2 * Horizon; t++)
        {
            Ensemble();
            MembersAlone();
        }
    }

    /// <summary>The members, each stepping the whole batch on its own.</summary>
    [Benchmark(Baseline = true)]
    public void MembersAlone()
    {
        Fill(_aloneBatch, _aloneStep++);
        foreach (IForecaster f in _alone)
        {
            f.Step(_aloneBatch);
        }
    }

    /// <summary>The ensemble: its members' steps plus scoring, weighing and combining.</summary>
    [Benchmark]
    public void Ensemble()
    {
        Fill(_ensembleBatch, _ensembleStep++);
        _ensemble.Step(_ensembleBatch);
    }

    private void Fill(ForecastBatch batch, long step)
    {
        batch.Begin(step);
        int tick = (int)(step % Ticks);
        for (int i = 0; i < Apps; i++)
        {
            batch.Add(new AppId(i + 1, 1), _demand[(tick * Apps) + i], []);
        }
    }

    private static DemandSeries Series(int pid, int steps)
    {
        var rng = new Random(pid);
        double[] sm = [.. Enumerable.Range(0, steps).Select(i => (i % 20 < 5 ? 0.8 : 0.1) * rng.NextDouble())];
        double[] bw = [.. Enumerable.Range(0, steps).Select(i => i % 10 == 0 ? 5e9 * rng.NextDouble() : 0)];
        double[] vram = [.. Enumerable.Range(0, steps).Select(i => 1e9 + (1e7 * (i % 100)))];
        return new DemandSeries(new AppId(pid + 10_000, 1), $"train{pid}", 0, sm, bw, vram, ObservedSignals.SmFromGpuIntervals);
    }
}

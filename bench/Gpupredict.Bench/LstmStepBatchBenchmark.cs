using BenchmarkDotNet.Attributes;
using Gpupredict.Core.Apps;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Bench;

/// <summary>
/// One <see cref="LstmQuantileForecaster.StepBatch"/> for 1,000 applications: hidden 64, 3 resources,
/// 4 quantile levels; the daemon's per-10 ms forecasting cost. Goal: under 1 ms on one core, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class LstmStepBatchBenchmark
{
    private const int Apps = 1000;

    private LstmQuantileForecaster _forecaster = null!;
    private int[] _slots = [];
    private float[] _inputs = [];
    private float[] _output = [];

    /// <summary>Steps forecast ahead (10 ms each).</summary>
    [Params(1, 10)]
    public int Horizon { get; set; }

    /// <summary>Builds an untrained network (the cost does not depend on the weights) and 1,000 slots.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _forecaster = new LstmQuantileForecaster(Horizon, [0.1, 0.5, 0.9, 0.99], new LstmOptions(Hidden: 64));
        _slots = new int[Apps];
        _inputs = new float[Apps * 3];
        var rng = new Random(1);
        for (int i = 0; i < Apps; i++)
        {
            _slots[i] = _forecaster.Slot(new AppId(i + 1, 1));
            _inputs[3 * i] = rng.NextSingle();
            _inputs[(3 * i) + 1] = rng.NextSingle() * 1e10f;
            _inputs[(3 * i) + 2] = rng.NextSingle() * 1e10f;
        }

        _output = new float[Apps * _forecaster.OutputsPerApp];
    }

    /// <summary>Advances all 1,000 applications one step and writes their quantiles.</summary>
    [Benchmark]
    public void StepBatch() => _forecaster.StepBatch(_slots, _inputs, _output);
}

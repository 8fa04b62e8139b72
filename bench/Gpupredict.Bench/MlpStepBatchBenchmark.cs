using BenchmarkDotNet.Attributes;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Bench;

/// <summary>
/// One step of <see cref="MlpQuantileForecaster"/> for 1,000 applications at its default size
/// (lookback 32, two hidden layers of 32, 3 rows per application), 4 quantile levels: through
/// <see cref="MlpQuantileForecaster.StepBatch"/> and through the tick's
/// <see cref="MlpQuantileForecaster.Step"/> on a <see cref="ForecastBatch"/>. Goal: under 1 ms on
/// one core at h = 1, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class MlpStepBatchBenchmark
{
    private const int Apps = 1000;

    private MlpQuantileForecaster _forecaster = null!;
    private ForecastBatch _batch = null!;
    private int[] _slots = [];
    private float[] _inputs = [];
    private float[] _output = [];
    private long _step;

    /// <summary>Steps forecast ahead (10 ms each).</summary>
    [Params(1, 10)]
    public int Horizon { get; set; }

    /// <summary>Builds an untrained network (the cost does not depend on the weights) and 1,000 slots.</summary>
    [GlobalSetup]
    public void Setup()
    {
        double[] levels = [0.1, 0.5, 0.9, 0.99];
        _forecaster = new MlpQuantileForecaster(Horizon, levels);
        _batch = new ForecastBatch(Horizon, levels);
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
        _forecaster.StepBatch(_slots, _inputs, _output);
        Step();
    }

    /// <summary>Advances all 1,000 applications one step and writes their quantiles.</summary>
    [Benchmark]
    public void StepBatch() => _forecaster.StepBatch(_slots, _inputs, _output);

    /// <summary>The same through the tick's batch: fill 1,000 slots, one <see cref="MlpQuantileForecaster.Step"/>.</summary>
    [Benchmark]
    public void Step()
    {
        _batch.Begin(_step++);
        for (int i = 0; i < Apps; i++)
        {
            _batch.Add(new AppId(i + 1, 1), new ResourceVector(_inputs[3 * i], _inputs[(3 * i) + 1], _inputs[(3 * i) + 2]), []);
        }

        _forecaster.Step(_batch);
    }
}

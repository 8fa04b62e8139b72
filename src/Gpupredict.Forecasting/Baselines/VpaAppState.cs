using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// One application's VPA aggregate (recommender/model/aggregate_container_state.go): a decaying
/// histogram of every SM and bandwidth sample (VPA's CPU path — both are rates), a decaying
/// histogram of VRAM peaks per interval (VPA's memory path), and the sample span and count behind
/// the confidence heuristic. All of it is allocated once, when the application is first seen.
/// </summary>
internal sealed class VpaAppState
{
    private readonly VpaParameters _parameters;
    private readonly DecayingHistogram _sm;
    private readonly DecayingHistogram _bandwidth;
    private readonly DecayingHistogram _vramPeaks;
    private readonly VpaMemoryPeaks _memory;
    private long _firstStep;
    private long _sampleCount;

    public VpaAppState(VpaParameters parameters)
    {
        _parameters = parameters;
        _sm = new DecayingHistogram(BaselineBuckets.Sm, parameters.HalfLifeSteps);
        _bandwidth = new DecayingHistogram(BaselineBuckets.Bandwidth, parameters.HalfLifeSteps);
        _vramPeaks = new DecayingHistogram(BaselineBuckets.Vram, parameters.HalfLifeSteps);
        _memory = new VpaMemoryPeaks(parameters.MemoryAggregationIntervalSteps);
    }

    /// <summary>The last step observed.</summary>
    public long LastStep { get; private set; } = long.MinValue;

    /// <summary>Feeds one step; steps must increase.</summary>
    public void Observe(long step, ResourceVector demand)
    {
        if (_sampleCount > 0 && step <= LastStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last one was {LastStep}");
        }

        // The OOM analogue: VRAM above the upper bound VPA recommended before this sample.
        bool oom = !_vramPeaks.IsEmpty && demand.VramBytes > UpperBound(_vramPeaks);
        if (_sampleCount == 0)
        {
            _firstStep = step;
        }

        LastStep = step;
        _sampleCount++;

        // VPA weighs CPU samples by the container's request (at least 0.1 core); a forecaster sees
        // no request, so every sample weighs 1.
        _sm.Add(demand.SmFraction, 1.0, step);
        _bandwidth.Add(demand.BandwidthBytesPerSecond, 1.0, step);
        _memory.Add(step, demand.VramBytes, isOom: false, _vramPeaks);
        if (oom)
        {
            _memory.RecordOom(step, demand.VramBytes, _parameters.OomBumpRatio, _parameters.OomMinBumpBytes, _vramPeaks);
        }
    }

    /// <summary>VPA's lower bound, target and upper bound for <paramref name="resource"/> (recommender/logic/estimator.go).</summary>
    public VpaRecommendation Estimate(Resource resource)
    {
        DecayingHistogram histogram = resource switch
        {
            Resource.Sm => _sm,
            Resource.MemoryBandwidth => _bandwidth,
            _ => _vramPeaks,
        };
        double margin = 1 + _parameters.SafetyMargin;
        double lower = histogram.Percentile(_parameters.LowerBoundPercentile) * margin;
        if (_parameters.ConfidenceMultipliers)
        {
            lower *= Math.Pow(1 + (0.001 / Confidence()), -2);
        }

        return new VpaRecommendation(lower, histogram.Percentile(_parameters.TargetPercentile) * margin, UpperBound(histogram));
    }

    /// <summary>The upper bound from <paramref name="histogram"/>: p95 × (1 + margin) × (1 + 1/confidence).</summary>
    private double UpperBound(DecayingHistogram histogram)
    {
        double upper = histogram.Percentile(_parameters.UpperBoundPercentile) * (1 + _parameters.SafetyMargin);
        return _parameters.ConfidenceMultipliers ? upper * (1 + (1 / Confidence())) : upper;
    }

    /// <summary>
    /// VPA's <c>getConfidence</c>: min(history span, sample count / samples per day), in days. VPA's
    /// "no history" gives an infinite upper multiplier; one step of history is the floor here, so the
    /// multiplier stays finite (at most 1 + <see cref="VpaParameters.ConfidenceIntervalSteps"/>).
    /// </summary>
    private double Confidence()
    {
        double day = _parameters.ConfidenceIntervalSteps;
        double span = (LastStep - _firstStep) / day;
        double samples = _sampleCount / day;
        return Math.Max(Math.Min(span, samples), 1 / day);
    }
}

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The Kubernetes VPA's exponential bucketing (recommender/util/histogram_options.go): bucket 0
/// covers [0, first), bucket n ≥ 1 starts at <c>first · (ratio^n − 1) / (ratio − 1)</c>, so each
/// bucket is <c>ratio</c> times wider than the one before; the last bucket starts at or above the
/// maximum value and has no upper end. Immutable, shared by every histogram that uses it.
/// </summary>
internal sealed class ExponentialBuckets
{
    private readonly double[] _starts;
    private readonly double _first;
    private readonly double _logRatio;
    private readonly double _ratioMinusOne;

    /// <summary>Builds the scheme; the values must be positive and <paramref name="ratio"/> above 1.</summary>
    public ExponentialBuckets(double maxValue, double firstBucketSize, double ratio)
    {
        if (!(maxValue > 0 && firstBucketSize > 0 && ratio > 1) || !double.IsFinite(maxValue * ratio))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), $"need maxValue > 0, firstBucketSize > 0, ratio > 1; got {maxValue}, {firstBucketSize}, {ratio}");
        }

        _first = firstBucketSize;
        _logRatio = Math.Log(ratio);
        _ratioMinusOne = ratio - 1;
        Count = (int)Math.Ceiling(Math.Log((maxValue * _ratioMinusOne / firstBucketSize) + 1) / _logRatio) + 1;
        _starts = new double[Count];
        for (int n = 1; n < Count; n++)
        {
            _starts[n] = firstBucketSize * (Math.Pow(ratio, n) - 1) / _ratioMinusOne;
        }
    }

    /// <summary>The number of buckets.</summary>
    public int Count { get; }

    /// <summary>The bucket holding <paramref name="value"/>; values past either end go to the end bucket.</summary>
    public int Find(double value)
    {
        if (!(value >= _first))
        {
            return 0;
        }

        int bucket = (int)(Math.Log((value * _ratioMinusOne / _first) + 1) / _logRatio);
        return Math.Min(bucket, Count - 1);
    }

    /// <summary>The lower end of <paramref name="bucket"/>.</summary>
    public double Start(int bucket) => _starts[bucket];

    /// <summary>
    /// The value a percentile that lands in <paramref name="bucket"/> reports, as VPA does: the
    /// bucket's upper end, or the start of the last bucket (which has no upper end).
    /// </summary>
    public double Upper(int bucket) => bucket < Count - 1 ? _starts[bucket + 1] : _starts[bucket];
}

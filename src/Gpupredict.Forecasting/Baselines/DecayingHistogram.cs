namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// VPA's decaying histogram (recommender/util/histogram.go and decaying_histogram.go), on steps
/// instead of wall time. A sample added at step <c>t</c> with weight <c>w</c> counts
/// <c>w · 2^((t − reference) / halfLife)</c>: it weighs half as much as a sample one half-life
/// younger. Only relative weights matter, so when the exponent would pass 100 the reference moves
/// forward (to a multiple of the half-life) and every weight is scaled down by the same power of
/// two. A bucket lighter than <see cref="Epsilon"/> counts as empty. Allocates only in its constructor.
/// </summary>
internal sealed class DecayingHistogram
{
    /// <summary>VPA's empty-bucket threshold: 0.001 × its minimum sample weight of 0.1.</summary>
    public const double Epsilon = 1e-4;

    private const int MaxDecayExponent = 100;

    private readonly ExponentialBuckets _buckets;
    private readonly double[] _weights;
    private readonly long _halfLifeSteps;
    private double _total;
    private int _minBucket;
    private int _maxBucket;

    /// <summary>An empty histogram over <paramref name="buckets"/> whose samples halve in weight every <paramref name="halfLifeSteps"/>.</summary>
    public DecayingHistogram(ExponentialBuckets buckets, long halfLifeSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(halfLifeSteps, 1);
        _buckets = buckets;
        _halfLifeSteps = halfLifeSteps;
        _weights = new double[buckets.Count];
        _minBucket = buckets.Count - 1;
    }

    /// <summary>The step at which a sample of weight w counts exactly w.</summary>
    public long ReferenceStep { get; private set; }

    /// <summary>The sum of all decayed weights.</summary>
    public double TotalWeight => _total;

    /// <summary>True when no bucket holds at least <see cref="Epsilon"/>.</summary>
    public bool IsEmpty => _weights[_minBucket] < Epsilon;

    /// <summary>The decayed weight in <paramref name="bucket"/>.</summary>
    public double BucketWeight(int bucket) => _weights[bucket];

    /// <summary>Adds <paramref name="value"/> with <paramref name="weight"/> as seen at <paramref name="step"/>.</summary>
    public void Add(double value, double weight, long step)
    {
        double w = weight * DecayFactor(step);
        int bucket = _buckets.Find(value);
        _weights[bucket] += w;
        _total += w;
        if (_weights[bucket] >= Epsilon)
        {
            _minBucket = Math.Min(_minBucket, bucket);
            _maxBucket = Math.Max(_maxBucket, bucket);
        }
    }

    /// <summary>Removes a sample added earlier with the same value, weight and step; never leaves a bucket negative.</summary>
    public void Subtract(double value, double weight, long step)
    {
        double w = weight * DecayFactor(step);
        int bucket = _buckets.Find(value);
        if (w > _weights[bucket] - Epsilon)
        {
            w = _weights[bucket];
        }

        _weights[bucket] -= w;
        _total -= w;
        UpdateMinAndMax();
    }

    /// <summary>
    /// The <paramref name="percentile"/> (0..1) of the weighted samples, as VPA reports it: the
    /// upper end of the first bucket at which the cumulative weight reaches that share. 0 when empty.
    /// </summary>
    public double Percentile(double percentile)
    {
        if (IsEmpty)
        {
            return 0;
        }

        double threshold = percentile * _total;
        double partial = 0;
        int bucket = _minBucket;
        for (; bucket < _maxBucket; bucket++)
        {
            partial += _weights[bucket];
            if (partial >= threshold)
            {
                break;
            }
        }

        return _buckets.Upper(bucket);
    }

    private double DecayFactor(long step)
    {
        if (step > ReferenceStep + (_halfLifeSteps * MaxDecayExponent))
        {
            ShiftReference(step);
        }

        return Math.Pow(2, (step - ReferenceStep) / (double)_halfLifeSteps);
    }

    /// <summary>Moves the reference to the multiple of the half-life nearest <paramref name="step"/>, rescaling every weight.</summary>
    private void ShiftReference(long step)
    {
        long newReference = (long)Math.Round(step / (double)_halfLifeSteps, MidpointRounding.AwayFromZero) * _halfLifeSteps;
        int exponent = (int)((ReferenceStep - newReference) / _halfLifeSteps);
        double factor = Math.ScaleB(1.0, exponent);
        for (int b = _minBucket; b <= _maxBucket; b++)
        {
            _weights[b] *= factor;
        }

        _total *= factor;
        ReferenceStep = newReference;
        UpdateMinAndMax();
    }

    private void UpdateMinAndMax()
    {
        int last = _weights.Length - 1;
        while (_weights[_minBucket] < Epsilon && _minBucket < last)
        {
            _minBucket++;
        }

        while (_weights[_maxBucket] < Epsilon && _maxBucket > 0)
        {
            _maxBucket--;
        }
    }
}

namespace Gpupredict.Daemon.Live;

/// <summary>
/// Durations in 1 µs buckets up to 100 ms (above: the last bucket, and the exact maximum kept
/// aside): percentiles of tick lateness and tick duration without storing every tick. Written by
/// the tick thread; read from any thread as a snapshot that may be one tick stale.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Buckets = 100_000;
    private readonly long[] _counts = new long[Buckets];
    private long _total;
    private long _maxNs;

    /// <summary>Records one duration, ns (negative counts as 0).</summary>
    public void Record(long ns)
    {
        long us = Math.Clamp(ns / 1000, 0, Buckets - 1);
        Interlocked.Increment(ref _counts[us]);
        Interlocked.Increment(ref _total);
        if (ns > Interlocked.Read(ref _maxNs))
        {
            Interlocked.Exchange(ref _maxNs, ns);
        }
    }

    /// <summary>Durations recorded.</summary>
    public long Count => Interlocked.Read(ref _total);

    /// <summary>The largest duration recorded, ns.</summary>
    public long MaxNs => Interlocked.Read(ref _maxNs);

    /// <summary>The <paramref name="q"/> quantile (0..1), ns, to the bucket (1 µs); 0 when empty.</summary>
    public long QuantileNs(double q)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return (i + 1) * 1000L;
            }
        }

        return MaxNs;
    }
}

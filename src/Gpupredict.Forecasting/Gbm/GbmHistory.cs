using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// One application's recent history in the normalised space: a ring of the last
/// <see cref="GbmFeatures.Depth"/> steps per resource plus the steps since the last SM burst, and a
/// ring of the last <see cref="GbmFeatures.ActivityWindow"/> steps of raw activity.
/// <see cref="Push"/> and <see cref="WriteFeatures"/> allocate nothing.
/// </summary>
internal sealed class GbmHistory
{
    private readonly int _capacity = GbmFeatures.Depth;
    private readonly double[] _ring;
    private readonly double[] _activity = new double[GbmFeatures.ActivityWindow * ActivitySeries.Channels];
    private int _newest = -1;
    private int _count;
    private int _sinceBurst = GbmFeatures.BurstCap;

    public GbmHistory() => _ring = new double[_capacity * Resources.Count];

    /// <summary>The last step pushed.</summary>
    public long LastStep { get; private set; }

    /// <summary>The newest demand as observed, not normalised (so an unchanged forecast reproduces it exactly).</summary>
    public ResourceVector Newest { get; private set; }

    /// <summary>Steps held, up to <see cref="GbmFeatures.Depth"/>.</summary>
    public int Count => _count;

    /// <summary>Appends the demand of <paramref name="step"/> and its activity (<see cref="ActivitySeries.Channels"/> values, or empty when unknown).</summary>
    public void Push(long step, ResourceVector demand, ReadOnlySpan<double> activity = default)
    {
        if (!activity.IsEmpty && activity.Length != ActivitySeries.Channels)
        {
            throw new ArgumentException($"activity has {activity.Length} values, expected {ActivitySeries.Channels}", nameof(activity));
        }

        _newest = (_newest + 1) % _capacity;
        _count = Math.Min(_count + 1, _capacity);
        LastStep = step;
        Newest = demand;
        foreach (Resource r in Resources.All)
        {
            _ring[((int)r * _capacity) + _newest] = GbmFeatures.Normalise(r, demand[r]);
        }

        _sinceBurst = demand.SmFraction > GbmFeatures.BurstThreshold ? 0 : Math.Min(_sinceBurst + 1, GbmFeatures.BurstCap);
        Span<double> slot = _activity.AsSpan((_newest % GbmFeatures.ActivityWindow) * ActivitySeries.Channels, ActivitySeries.Channels);
        if (activity.IsEmpty)
        {
            slot.Clear();
        }
        else
        {
            activity.CopyTo(slot);
        }
    }

    /// <summary>The normalised value <paramref name="back"/> steps before the newest (0 = newest), clamped to the oldest held.</summary>
    public double Back(Resource resource, int back)
    {
        int b = Math.Min(back, _count - 1);
        int slot = (_newest - b + _capacity) % _capacity;
        return _ring[((int)resource * _capacity) + slot];
    }

    /// <summary>Writes the <see cref="GbmFeatures.Count"/> features in <see cref="GbmFeatures"/>' layout; needs one step pushed.</summary>
    public void WriteFeatures(Span<double> features)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("no step observed yet");
        }

        int i = 0;
        foreach (Resource r in Resources.All)
        {
            foreach (int lag in GbmFeatures.Lags)
            {
                features[i++] = Back(r, lag - 1);
            }

            foreach (int window in GbmFeatures.Windows)
            {
                int n = Math.Min(window, _count);
                double sum = 0, max = double.MinValue;
                for (int b = 0; b < n; b++)
                {
                    double v = Back(r, b);
                    sum += v;
                    max = Math.Max(max, v);
                }

                // Two passes: log-bytes sit near 20, where E[x²] − mean² would cancel to noise.
                double mean = sum / n, squares = 0;
                for (int b = 0; b < n; b++)
                {
                    double d = Back(r, b) - mean;
                    squares += d * d;
                }

                features[i++] = mean;
                features[i++] = max;
                features[i++] = Math.Sqrt(squares / n);
            }

            features[i++] = Back(r, 0) - Back(r, 1);
        }

        features[i++] = _sinceBurst;
        WriteActivity(features[i..]);
    }

    private void WriteActivity(Span<double> features)
    {
        int n = Math.Min(GbmFeatures.ActivityWindow, _count);
        int newest = _newest % GbmFeatures.ActivityWindow;
        double transferBytes = 0, transfers = 0;
        for (int c = 0; c < ActivitySeries.Channels; c++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
            {
                int slot = (newest - b + GbmFeatures.ActivityWindow) % GbmFeatures.ActivityWindow;
                sum += _activity[(slot * ActivitySeries.Channels) + c];
            }

            features[2 * c] = Math.Log(1 + _activity[(newest * ActivitySeries.Channels) + c]);
            features[(2 * c) + 1] = Math.Log(1 + (sum / n));
            switch ((ActivityChannel)c)
            {
                case ActivityChannel.HostToDeviceBytes or ActivityChannel.DeviceToHostBytes or ActivityChannel.DeviceToDeviceBytes or ActivityChannel.MemsetBytes:
                    transferBytes += sum;
                    break;
                case ActivityChannel.Transfers:
                    transfers = sum;
                    break;
                default:
                    break;
            }
        }

        features[2 * ActivitySeries.Channels] = Math.Log(1 + (transferBytes / Math.Max(1, transfers)));
    }
}

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// VPA's per-container memory bookkeeping (recommender/model/container.go), for VRAM: one peak
/// sample per aggregation interval, time-stamped at the interval's end. While the interval lasts,
/// a larger value replaces its peak in the histogram (subtract the old, add the new); the first
/// value at or past the interval's end opens the next interval. An OOM adds a bumped artificial
/// sample through the same path. One deliberate difference: VPA treats a peak of 0 as "none yet"
/// and then never replaces it within the interval; GPU applications start at 0 VRAM (before their
/// first allocation), so here a recorded 0 is a peak like any other and a larger value replaces it.
/// </summary>
internal sealed class VpaMemoryPeaks
{
    private readonly long _intervalSteps;
    private long _windowEnd;
    private bool _started;
    private double _memoryPeak;
    private double _oomPeak;

    /// <summary>Peaks over intervals of <paramref name="intervalSteps"/> steps.</summary>
    public VpaMemoryPeaks(long intervalSteps) => _intervalSteps = intervalSteps;

    /// <summary>The largest observed (non-OOM) value of the current interval, in bytes.</summary>
    public double MemoryPeak => _memoryPeak;

    /// <summary>Accounts <paramref name="bytes"/> used at <paramref name="step"/> in <paramref name="peaks"/>.</summary>
    public void Add(long step, double bytes, bool isOom, DecayingHistogram peaks)
    {
        bool addNewPeak;
        if (_started && step < _windowEnd)
        {
            double oldPeak = Math.Max(_memoryPeak, _oomPeak);
            addNewPeak = bytes > oldPeak;
            if (addNewPeak)
            {
                peaks.Subtract(oldPeak, 1.0, _windowEnd);
            }
        }
        else
        {
            if (!_started)
            {
                _windowEnd = step;
                _started = true;
            }

            // Move to the interval that holds this step; its peak starts from this sample.
            _windowEnd += ((step - _windowEnd) / _intervalSteps * _intervalSteps) + _intervalSteps;
            _memoryPeak = 0;
            _oomPeak = 0;
            addNewPeak = true;
        }

        if (addNewPeak)
        {
            peaks.Add(bytes, 1.0, _windowEnd);
            if (isOom)
            {
                _oomPeak = bytes;
            }
            else
            {
                _memoryPeak = bytes;
            }
        }
    }

    /// <summary>
    /// VPA's <c>RecordOOM</c>: the memory needed is max(used + <paramref name="minBumpBytes"/>,
    /// used × <paramref name="bumpRatio"/>), used = max(<paramref name="usedBytes"/>, the interval's
    /// observed peak), added as an OOM sample at <paramref name="step"/>.
    /// </summary>
    public void RecordOom(long step, double usedBytes, double bumpRatio, double minBumpBytes, DecayingHistogram peaks)
    {
        double used = Math.Max(usedBytes, _memoryPeak);
        double needed = Math.Max(used + minBumpBytes, used * bumpRatio);
        Add(step, needed, isOom: true, peaks);
    }
}

using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Demand;

/// <summary>
/// One application's demand step by step: step <c>i</c> covers
/// [<see cref="OriginNs"/> + i·<see cref="StepNs"/>, <see cref="OriginNs"/> + (i+1)·<see cref="StepNs"/>).
/// The step is 10 ms (<see cref="TimeBase.StepNs"/>) for everything gpupredictd records itself; a
/// dataset sampled more coarsely (the Alibaba pods: 57 s) says so here, and every consumer takes the
/// step from the series, never from a constant.
/// Stored as one array per resource. Immutable once built; values are validated on construction.
/// </summary>
public sealed class DemandSeries
{
    private readonly double[] _sm;
    private readonly double[] _bandwidth;
    private readonly double[] _vram;

    /// <summary>Builds a series from per-step arrays of equal length (the arrays are taken, not copied).</summary>
    /// <param name="app">The application.</param>
    /// <param name="name">A human name (process name or trace file).</param>
    /// <param name="originNs">Start of step 0, in the source's nanosecond clock.</param>
    /// <param name="smFraction">SM busy fraction per step, each in [0, 1].</param>
    /// <param name="bandwidthBytesPerSecond">Bytes/s per step, each ≥ 0.</param>
    /// <param name="vramBytes">Bytes held at the end of each step, each ≥ 0.</param>
    /// <param name="observed">Which signals the source could observe.</param>
    /// <param name="activity">What the application did per step (calls, copies, allocations), when the source records events; null otherwise.</param>
    /// <param name="stepNs">How long one step lasts, ns, ≥ 1; 10 ms unless the source samples otherwise.</param>
    /// <exception cref="ArgumentException">Lengths differ or a value is out of range or not finite.</exception>
    public DemandSeries(AppId app, string name, long originNs, double[] smFraction, double[] bandwidthBytesPerSecond, double[] vramBytes, ObservedSignals observed, ActivitySeries? activity = null, long stepNs = TimeBase.StepNs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepNs, 1);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(smFraction);
        ArgumentNullException.ThrowIfNull(bandwidthBytesPerSecond);
        ArgumentNullException.ThrowIfNull(vramBytes);
        if (smFraction.Length != bandwidthBytesPerSecond.Length || smFraction.Length != vramBytes.Length)
        {
            throw new ArgumentException($"per-resource arrays differ in length: sm {smFraction.Length}, bandwidth {bandwidthBytesPerSecond.Length}, vram {vramBytes.Length}");
        }

        if (activity is not null && activity.Count != smFraction.Length)
        {
            throw new ArgumentException($"activity has {activity.Count} steps, demand {smFraction.Length}", nameof(activity));
        }

        Check(smFraction, nameof(smFraction), 0, 1);
        Check(bandwidthBytesPerSecond, nameof(bandwidthBytesPerSecond), 0, double.MaxValue);
        Check(vramBytes, nameof(vramBytes), 0, double.MaxValue);
        App = app;
        Name = name;
        OriginNs = originNs;
        Observed = observed;
        Activity = activity;
        StepNs = stepNs;
        _sm = smFraction;
        _bandwidth = bandwidthBytesPerSecond;
        _vram = vramBytes;
    }

    /// <summary>The application.</summary>
    public AppId App { get; }

    /// <summary>A human name for reports.</summary>
    public string Name { get; }

    /// <summary>Start of step 0 in nanoseconds of the source's clock.</summary>
    public long OriginNs { get; }

    /// <summary>How long one step lasts, ns (10 ms for traces; a dataset's sampling period otherwise).</summary>
    public long StepNs { get; }

    /// <summary>Which signals are observed; the others are zero.</summary>
    public ObservedSignals Observed { get; }

    /// <summary>What the application did per step, aligned with the demand; null when the source has no events (e.g. pod metrics).</summary>
    public ActivitySeries? Activity { get; }

    /// <summary>The number of steps.</summary>
    public int Count => _sm.Length;

    /// <summary>The demand in step <paramref name="step"/>.</summary>
    public ResourceVector this[int step] => new(_sm[step], _bandwidth[step], _vram[step]);

    /// <summary>The per-step values of one resource.</summary>
    public ReadOnlySpan<double> Values(Resource resource) => resource switch
    {
        Resource.Sm => _sm,
        Resource.MemoryBandwidth => _bandwidth,
        Resource.Vram => _vram,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "unknown resource"),
    };

    /// <summary>The samples in order.</summary>
    public IEnumerable<DemandSample> Samples()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return new DemandSample(i, this[i]);
        }
    }

    /// <summary>The first <paramref name="count"/> steps, activity included, as a new series.</summary>
    public DemandSeries Head(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new DemandSeries(App, Name, OriginNs, _sm[..count], _bandwidth[..count], _vram[..count], Observed, Activity?.Head(count), StepNs);
    }

    /// <summary>The same demand and activity as another application's (the arrays are shared: both are immutable).</summary>
    public DemandSeries For(AppId app) => new(app, Name, OriginNs, _sm, _bandwidth, _vram, Observed, Activity, StepNs);

    /// <summary>The same demand without its activity (the arrays are shared).</summary>
    public DemandSeries WithoutActivity() => new(App, Name, OriginNs, _sm, _bandwidth, _vram, Observed, null, StepNs);

    /// <summary>The per-resource maximum over all steps (the "request the peak" size).</summary>
    public ResourceVector Peak()
    {
        ResourceVector peak = ResourceVector.Zero;
        for (int i = 0; i < Count; i++)
        {
            peak = ResourceVector.Max(peak, this[i]);
        }

        return peak;
    }

    private static void Check(double[] values, string field, double min, double max)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v) || v < min || v > max)
            {
                throw new ArgumentException($"{field}[{i}] = {v} is outside [{min}, {max}]", field);
            }
        }
    }
}

using System.Runtime.InteropServices;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Pipeline;

/// <summary>
/// One step as a source reports it: arrivals, observations (with activity, when the source records
/// events) and departures. Owned by the tick and reused every step, so a source writes into it
/// without allocating; what it holds is valid until the next step.
/// </summary>
public sealed class DemandFrame
{
    private readonly List<AppArrival> _arrivals = [];
    private readonly List<AppObservation> _observations = [];
    private readonly List<AppId> _departures = [];
    private readonly List<bool> _hasActivity = [];
    private double[] _activity = new double[64 * ActivitySeries.Channels];

    /// <summary>The step being reported.</summary>
    public long Step { get; private set; }

    /// <summary>Applications seen for the first time, in the order they were reported.</summary>
    public ReadOnlySpan<AppArrival> Arrivals => CollectionsMarshal.AsSpan(_arrivals);

    /// <summary>One per running application, in the order they were reported.</summary>
    public ReadOnlySpan<AppObservation> Observations => CollectionsMarshal.AsSpan(_observations);

    /// <summary>Applications gone without a last observation (a live process that died between steps).</summary>
    public ReadOnlySpan<AppId> Departures => CollectionsMarshal.AsSpan(_departures);

    /// <summary>Empties the frame for <paramref name="step"/>, keeping its buffers.</summary>
    public void Begin(long step)
    {
        Step = step;
        _arrivals.Clear();
        _observations.Clear();
        _departures.Clear();
        _hasActivity.Clear();
    }

    /// <summary>Reports an application seen for the first time.</summary>
    public void Arrive(in AppArrival arrival) => _arrivals.Add(arrival);

    /// <summary>Reports what an application used in the step; <paramref name="activity"/> is one step of <see cref="ActivitySeries.Channels"/> values, or empty when the source records no events.</summary>
    /// <exception cref="ArgumentException"><paramref name="activity"/> is neither empty nor one step of channels.</exception>
    public void Observe(in AppObservation observation, ReadOnlySpan<double> activity)
    {
        if (!activity.IsEmpty && activity.Length != ActivitySeries.Channels)
        {
            throw new ArgumentException($"expected {ActivitySeries.Channels} activity values or none; got {activity.Length}", nameof(activity));
        }

        int i = _observations.Count;
        if ((i + 1) * ActivitySeries.Channels > _activity.Length)
        {
            Array.Resize(ref _activity, _activity.Length * 2);
        }

        _observations.Add(observation);
        _hasActivity.Add(!activity.IsEmpty);
        activity.CopyTo(_activity.AsSpan(i * ActivitySeries.Channels));
    }

    /// <summary>Reports an application gone without a last observation.</summary>
    public void Depart(AppId app) => _departures.Add(app);

    /// <summary>The activity of observation <paramref name="index"/>, or empty when the source recorded none.</summary>
    public ReadOnlySpan<double> Activity(int index) =>
        _hasActivity[index] ? _activity.AsSpan(index * ActivitySeries.Channels, ActivitySeries.Channels) : [];
}

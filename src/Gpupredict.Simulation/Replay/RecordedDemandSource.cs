using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// The replay's source: recorded demand series played, step by step, on a simulated node against
/// the grants in force there. Each running application's step is played before any is reported
/// (whether a GPU's SM was oversubscribed depends on all of them), in input order; an application
/// arrives at its first step, on the GPU whose memory reservations leave the most room (arrivals of
/// one step spread out: each one's memory counts for the next), and exits with its last.
/// </summary>
public sealed class RecordedDemandSource : IDemandSource
{
    private readonly IReadOnlyList<ReplayApp> _apps;
    private readonly ISimulatedNode _node;
    private readonly ResourceVector[] _peaks;
    private readonly AppIdentity[] _identities;
    private readonly double[] _claimed;

    /// <summary>Plays <paramref name="apps"/> on <paramref name="node"/>.</summary>
    /// <exception cref="ArgumentException">Two applications share an identity.</exception>
    public RecordedDemandSource(IReadOnlyList<ReplayApp> apps, ISimulatedNode node)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(node);
        var seen = new HashSet<AppId>();
        foreach (ReplayApp app in apps)
        {
            if (!seen.Add(app.Series.App))
            {
                throw new ArgumentException($"two applications share the identity {app.Series.App} ('{app.Series.Name}')", nameof(apps));
            }
        }

        _apps = apps;
        _node = node;
        _peaks = [.. apps.Select(a => a.Series.Peak())];
        _identities = [.. apps.Select(a => AppIdentity.Recorded(a.Series.Name))];
        _claimed = new double[node.Gpus.Count];
        End = apps.Count == 0 ? 0 : apps.Max(a => a.EndStep);
    }

    /// <inheritdoc />
    public string Name => "recorded";

    /// <summary>The first step after the last application's last step.</summary>
    public long End { get; }

    /// <inheritdoc />
    public void Read(long step, DemandFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        bool claimedKnown = false;
        for (int i = 0; i < _apps.Count; i++)
        {
            ReplayApp app = _apps[i];
            if (step < app.StartStep || step >= app.EndStep)
            {
                continue;
            }

            int index = (int)(step - app.StartStep);
            ResourceVector demand = app.Series[index];
            int gpu = 0;
            if (step == app.StartStep)
            {
                if (!claimedKnown)
                {
                    Claimed();
                    claimedKnown = true;
                }

                gpu = LeastClaimed();
                _claimed[gpu] += demand.VramBytes;
                frame.Arrive(new AppArrival(app.Series.App, _identities[i], app.Name, _peaks[i], gpu));
            }

            StepOutcome outcome = _node.Step(app.Series.App, demand, gpu);
            frame.Observe(new AppObservation(app.Series.App, demand, outcome, Exits: step + 1 == app.EndStep), app.Series.Activity is { } activity ? activity.At(index) : []);
        }
    }

    /// <summary>Bytes each GPU's reservations claim (a work-conserving quota also reaches into what nobody reserves, so quotas would overlap).</summary>
    private void Claimed()
    {
        Array.Clear(_claimed);
        foreach (Core.Allocation.GpuAllocation grant in _node.Grants.Values)
        {
            _claimed[grant.Gpu] += grant.VramReservation;
        }
    }

    /// <summary>Where a new application starts before its first grant: the GPU with the most memory nothing claims.</summary>
    private int LeastClaimed()
    {
        int best = 0;
        for (int g = 1; g < _node.Gpus.Count; g++)
        {
            if (_node.Gpus[g].Capacity.VramBytes - _claimed[g] > _node.Gpus[best].Capacity.VramBytes - _claimed[best])
            {
                best = g;
            }
        }

        return best;
    }
}

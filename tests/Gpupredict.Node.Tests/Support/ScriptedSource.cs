using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Node.Tests.Support;

/// <summary>A test double of a demand source: reports what the test scripted for each step.</summary>
internal sealed class ScriptedSource : IDemandSource
{
    private readonly Dictionary<long, List<Action<DemandFrame>>> _steps = [];

    public string Name => "scripted";

    public List<long> Read { get; } = [];

    /// <summary>An application arriving at <paramref name="first"/>, running through <paramref name="last"/> at a constant demand.</summary>
    public ScriptedSource Run(AppId app, long first, long last, ResourceVector demand, string? name = null)
    {
        At(first, f => f.Arrive(new AppArrival(app, AppIdentity.Recorded(name ?? $"app{app.Pid}"), name ?? $"app{app.Pid}", ResourceVector.Zero, 0)));
        for (long s = first; s <= last; s++)
        {
            bool exits = s == last;
            At(s, f => f.Observe(new AppObservation(app, demand, default, exits), []));
        }

        return this;
    }

    public ScriptedSource At(long step, Action<DemandFrame> report)
    {
        if (!_steps.TryGetValue(step, out List<Action<DemandFrame>>? list))
        {
            _steps[step] = list = [];
        }

        list.Add(report);
        return this;
    }

    void IDemandSource.Read(long step, DemandFrame frame)
    {
        Read.Add(step);
        foreach (Action<DemandFrame> report in _steps.GetValueOrDefault(step) ?? [])
        {
            report(frame);
        }
    }
}

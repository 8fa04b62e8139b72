using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Replay;

/// <summary>One application to replay: its demand series, its priority and when it arrives.</summary>
/// <param name="Series">The demand, 10 ms per step.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="StartStep">The replay step of its first sample, ≥ 0.</param>
/// <param name="DisplayName">The name reports show; the series' own name when null.</param>
/// <param name="Constraints">Floors, ceilings and slow-path permissions from policy; none when null.</param>
public sealed record ReplayApp(DemandSeries Series, Priority Priority, long StartStep = 0, string? DisplayName = null, PlanConstraints? Constraints = null)
{
    /// <summary>The name reports show.</summary>
    public string Name => DisplayName ?? Series.Name;

    /// <summary>The first replay step after its last sample.</summary>
    public long EndStep => StartStep + Series.Count;
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Simulation.Replay;

/// <summary>One application to replay: its demand series, its priority and when it arrives.</summary>
/// <param name="Series">The demand, 10 ms per step.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="StartStep">The replay step of its first sample, ≥ 0.</param>
public sealed record ReplayApp(DemandSeries Series, Priority Priority, long StartStep = 0)
{
    /// <summary>The first replay step after its last sample.</summary>
    public long EndStep => StartStep + Series.Count;
}

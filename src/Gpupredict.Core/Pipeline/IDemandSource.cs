namespace Gpupredict.Core.Pipeline;

/// <summary>
/// Where the tick gets each step's demand: a named policy. In a replay, recorded series played on a
/// simulated node; on a live node, the interposers' rings and the eBPF probe through the streaming
/// aggregator. The source says who arrived, what every running application used in the step, and
/// who is gone; it never decides anything.
/// </summary>
public interface IDemandSource
{
    /// <summary>The source name used in configuration and reports.</summary>
    string Name { get; }

    /// <summary>
    /// Fills <paramref name="frame"/> (already emptied for <paramref name="step"/>) with what happened
    /// during <paramref name="step"/>: arrivals first, then one observation per running application
    /// (an application's first observation is in its arrival's step or later), then departures.
    /// Steps are read in increasing order, once each.
    /// </summary>
    void Read(long step, DemandFrame frame);
}

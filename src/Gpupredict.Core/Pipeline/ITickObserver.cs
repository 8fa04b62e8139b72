namespace Gpupredict.Core.Pipeline;

/// <summary>
/// Sees every tick after it ran: the replay's accounting and reports, and on a live node the D-Bus
/// snapshots and metrics. Called on the tick's thread; must not block it (copy what it keeps: the
/// record is reused by the next tick).
/// </summary>
public interface ITickObserver
{
    /// <summary>The tick of <see cref="TickRecord.Step"/> has run.</summary>
    void OnTick(TickRecord record);
}

namespace Gpupredict.Core.Apps;

/// <summary>
/// How much an application is promised. Ordered: a higher class is served first and preempted last.
/// </summary>
public enum PriorityClass
{
    /// <summary>Runs on what is left; reclaimed first.</summary>
    BestEffort = 0,

    /// <summary>Has a guaranteed floor and may burst above it when the node has room.</summary>
    Burstable = 1,

    /// <summary>Gets its forecast upper quantile reserved; preempted last.</summary>
    Guaranteed = 2,
}

using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Pipeline;

/// <summary>
/// Runs slow-path actions (MPS partitions, checkpoint and restore, migration) off the tick: the tick
/// submits them in the plan's order and learns how each ended from <see cref="Drain"/>, at that tick
/// or a later one. A replay's slow path runs on virtual time: each action completes as it is submitted
/// and its pause is the plan's estimate; a live node's runs them on a worker while ticks go on.
/// </summary>
public interface ISlowPath
{
    /// <summary>The slow path's name, for reports.</summary>
    string Name { get; }

    /// <summary>Queues <paramref name="action"/>, issued by the plan of <paramref name="step"/>, under <paramref name="requestId"/> (a repeated id is performed once).</summary>
    void Submit(SlowAction action, long step, string requestId);

    /// <summary>Appends the actions finished since the last call to <paramref name="completions"/>, in the order they finished; returns how many.</summary>
    int Drain(List<SlowCompletion> completions);

    /// <summary>Actions submitted and not yet drained.</summary>
    int Pending { get; }
}

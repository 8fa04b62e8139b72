using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Node;

/// <summary>
/// The slow path on virtual time, for replays: each action is performed on the backend as it is
/// submitted and completes at once; the time it would stop the application is the plan's estimate
/// (<see cref="SlowAction.ExpectedPauseNs"/>), which the replay's accounting charges from the issuing
/// step on. Same queue contract as the live worker, so the tick cannot tell them apart.
/// </summary>
public sealed class ImmediateSlowPath(IEnforcementBackend backend) : ISlowPath
{
    private readonly IEnforcementBackend _backend = backend ?? throw new ArgumentNullException(nameof(backend));
    private readonly Queue<SlowCompletion> _done = new();

    /// <inheritdoc />
    public string Name => "immediate";

    /// <inheritdoc />
    public int Pending => _done.Count;

    /// <inheritdoc />
    public void Submit(SlowAction action, long step, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        _done.Enqueue(new SlowCompletion(action, step, _backend.Execute(action, requestId)));
    }

    /// <inheritdoc />
    public int Drain(List<SlowCompletion> completions)
    {
        ArgumentNullException.ThrowIfNull(completions);
        int n = _done.Count;
        while (_done.TryDequeue(out SlowCompletion c))
        {
            completions.Add(c);
        }

        return n;
    }
}

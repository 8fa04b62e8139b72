using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Node.Tests.Support;

/// <summary>A slow path whose actions finish only when the test says (as a live node's do, ticks later).</summary>
internal sealed class HeldSlowPath(IEnforcementBackend backend) : ISlowPath
{
    private readonly List<(SlowAction Action, long Step, string Id)> _held = [];
    private readonly List<SlowCompletion> _done = [];

    public string Name => "held";

    public int Pending => _held.Count + _done.Count;

    public void Submit(SlowAction action, long step, string requestId) => _held.Add((action, step, requestId));

    /// <summary>Performs every held action now; their completions wait for the next drain.</summary>
    public void Finish()
    {
        foreach ((SlowAction action, long step, string id) in _held)
        {
            _done.Add(new SlowCompletion(action, step, backend.Execute(action, id)));
        }

        _held.Clear();
    }

    public int Drain(List<SlowCompletion> completions)
    {
        completions.AddRange(_done);
        int n = _done.Count;
        _done.Clear();
        return n;
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// The live node's enforcement: grants and releases go to the interposer's control blocks (the
/// 10 ms path); slow actions to the backend that performs them, MPS partitions to <c>mps</c>,
/// suspend, restore and migration to <c>checkpoint</c>. Those two run on the slow path's worker,
/// never on the tick thread.
/// </summary>
public sealed class DaemonBackend(IEnforcementBackend grants, IEnforcementBackend mps, IEnforcementBackend checkpoint) : IEnforcementBackend
{
    /// <inheritdoc />
    public string Name => grants.Name;

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId) => grants.Apply(allocation, requestId);

    /// <inheritdoc />
    public EnforcementResult Release(AppId app, string requestId) => grants.Release(app, requestId);

    /// <inheritdoc />
    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Kind == SlowActionKind.SetMpsPartition ? mps.Execute(action, requestId) : checkpoint.Execute(action, requestId);
    }
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Enforcement;

/// <summary>
/// Makes a grant real: interposer control blocks, MPS, checkpoint/restore, or a simulated node.
/// Guarantee: idempotent per request id (a repeated id returns the first result and changes nothing);
/// failures are returned as values, including "this backend does not perform that", never thrown.
/// </summary>
public interface IEnforcementBackend
{
    /// <summary>The backend name used in configuration and reports.</summary>
    string Name { get; }

    /// <summary>Enforces <paramref name="allocation"/> for its application.</summary>
    EnforcementResult Apply(GpuAllocation allocation, string requestId);

    /// <summary>Returns everything <paramref name="app"/> holds to the pool.</summary>
    EnforcementResult Release(AppId app, string requestId);

    /// <summary>Performs a slow-path action; a backend that does not do <see cref="SlowAction.Kind"/> returns a failure saying so.</summary>
    EnforcementResult Execute(SlowAction action, string requestId);
}

using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Enforcement;

/// <summary>
/// A backend that can also play demand against its grants: what a replay drives instead of real
/// GPUs. The daemon and the replay differ only in event source, clock and this backend.
/// </summary>
public interface ISimulatedNode : IEnforcementBackend
{
    /// <summary>The node's GPUs, indexed 0..n-1.</summary>
    IReadOnlyList<GpuCapacity> Gpus { get; }

    /// <summary>How long one step lasts, ns (10 ms for traces; a dataset's sampling period otherwise).</summary>
    long StepNs { get; }

    /// <summary>Grants in force, by application.</summary>
    IReadOnlyDictionary<AppId, GpuAllocation> Grants { get; }

    /// <summary>Suspended applications and the GPU each was suspended from.</summary>
    IReadOnlyDictionary<AppId, int> Suspended { get; }

    /// <summary>Plays one step of <paramref name="app"/>'s demand; an application without a grant runs pass-through on <paramref name="gpuIfNew"/>.</summary>
    StepOutcome Step(AppId app, ResourceVector demand, int gpuIfNew = 0);
}

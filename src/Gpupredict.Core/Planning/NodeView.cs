using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Planning;

/// <summary>The node as the planner sees it at one step: its GPUs, the grants in force and who is suspended.</summary>
/// <param name="Step">The 10 ms step being planned for.</param>
/// <param name="Gpus">The node's GPUs.</param>
/// <param name="Current">Grants in force, by application (a suspended application has none).</param>
/// <param name="Suspended">Suspended applications and the GPU each was suspended from.</param>
public sealed record NodeView(long Step, IReadOnlyList<GpuCapacity> Gpus, IReadOnlyDictionary<AppId, GpuAllocation> Current, IReadOnlyDictionary<AppId, int> Suspended)
{
    /// <summary>A view in which nobody is suspended.</summary>
    public NodeView(long step, IReadOnlyList<GpuCapacity> gpus, IReadOnlyDictionary<AppId, GpuAllocation> current)
        : this(step, gpus, current, new Dictionary<AppId, int>())
    {
    }
}

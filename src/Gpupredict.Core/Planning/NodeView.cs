using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Planning;

/// <summary>The node as the planner sees it at one step: its GPUs and the grants in force.</summary>
/// <param name="Step">The 10 ms step being planned for.</param>
/// <param name="Gpus">The node's GPUs.</param>
/// <param name="Current">Grants in force, by application.</param>
public sealed record NodeView(long Step, IReadOnlyList<GpuCapacity> Gpus, IReadOnlyDictionary<AppId, GpuAllocation> Current);

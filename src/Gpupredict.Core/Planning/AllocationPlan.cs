using Gpupredict.Core.Allocation;

namespace Gpupredict.Core.Planning;

/// <summary>The planner's output: one grant per application, what it could not grant, and the slow-path actions it wants.</summary>
/// <param name="Allocations">One grant per planned application that is not suspended.</param>
/// <param name="Shortfalls">Requests granted only in part, with reasons.</param>
/// <param name="Actions">Slow-path actions (MPS partitions, suspend, restore, migrate), in the order they should run.</param>
public sealed record AllocationPlan(IReadOnlyList<GpuAllocation> Allocations, IReadOnlyList<Shortfall> Shortfalls, IReadOnlyList<SlowAction> Actions)
{
    /// <summary>A plan without slow-path actions.</summary>
    public AllocationPlan(IReadOnlyList<GpuAllocation> allocations, IReadOnlyList<Shortfall> shortfalls)
        : this(allocations, shortfalls, [])
    {
    }
}

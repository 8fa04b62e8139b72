using Gpupredict.Core.Allocation;

namespace Gpupredict.Core.Planning;

/// <summary>The planner's output: one grant per application and what it could not grant.</summary>
/// <param name="Allocations">One grant per planned application.</param>
/// <param name="Shortfalls">Requests granted only in part, with reasons.</param>
public sealed record AllocationPlan(IReadOnlyList<GpuAllocation> Allocations, IReadOnlyList<Shortfall> Shortfalls);

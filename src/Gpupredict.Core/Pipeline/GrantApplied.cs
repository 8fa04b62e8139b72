using Gpupredict.Core.Allocation;
using Gpupredict.Core.Enforcement;

namespace Gpupredict.Core.Pipeline;

/// <summary>A grant the tick handed to the backend, and what the backend did with it.</summary>
/// <param name="Allocation">The grant.</param>
/// <param name="Result">Applied or not, changed or not.</param>
public readonly record struct GrantApplied(GpuAllocation Allocation, EnforcementResult Result);

namespace Gpupredict.Core.Demand;

/// <summary>What one application used during one 10 ms step.</summary>
/// <param name="Step">The step index from the series origin.</param>
/// <param name="Demand">The resources used in that step.</param>
public readonly record struct DemandSample(long Step, ResourceVector Demand);

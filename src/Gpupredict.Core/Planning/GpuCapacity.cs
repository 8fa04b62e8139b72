using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Planning;

/// <summary>One physical GPU of the node and what it can give.</summary>
/// <param name="Index">The GPU's index on the node.</param>
/// <param name="Name">The product name, for reports.</param>
/// <param name="Capacity">Whole-GPU amounts: SM fraction 1.0, peak memory bandwidth (B/s), device memory (B).</param>
public sealed record GpuCapacity(int Index, string Name, ResourceVector Capacity);

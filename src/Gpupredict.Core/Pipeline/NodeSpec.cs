using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Pipeline;

/// <summary>The node a pipeline runs on: its GPUs and the duration of one step.</summary>
/// <param name="Gpus">The GPUs, indexed 0..n-1.</param>
/// <param name="StepNs">How long one step lasts, ns: 10 ms on a live node; a replayed dataset's sampling period.</param>
public sealed record NodeSpec(IReadOnlyList<GpuCapacity> Gpus, long StepNs)
{
    /// <summary>Checks the invariants; returns null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        if (Gpus is null || Gpus.Count == 0)
        {
            return "a node needs at least one GPU";
        }

        for (int g = 0; g < Gpus.Count; g++)
        {
            if (Gpus[g].Index != g)
            {
                return $"GPU indexes must be 0..{Gpus.Count - 1} in order; position {g} has index {Gpus[g].Index}";
            }
        }

        return StepNs < 1 ? $"a step of {StepNs} ns: expected at least 1 ns" : null;
    }
}

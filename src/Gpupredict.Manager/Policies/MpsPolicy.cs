namespace Gpupredict.Manager.Policies;

/// <summary>Whether the node runs NVIDIA MPS, and how the manager partitions it.</summary>
/// <param name="Enabled">The node runs MPS: plans set each application's active-thread percentage for the CUDA contexts it creates.</param>
/// <param name="RepartitionPoints">A granted share must move by this many percentage points before the partition is set again, 1..100.</param>
public sealed record MpsPolicy(bool Enabled, int RepartitionPoints)
{
    /// <summary>Off; 10 points when turned on.</summary>
    public static MpsPolicy Default { get; } = new(false, 10);
}

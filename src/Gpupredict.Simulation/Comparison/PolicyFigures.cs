namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// One row of a policy comparison: node totals of one replay. Fractions are 0..1, memory bytes,
/// times nanoseconds. Ratios to the static-peak and oracle runs are null when that run is absent.
/// </summary>
public sealed record PolicyFigures
{
    /// <summary>The policy.</summary>
    public required string Policy { get; init; }

    /// <summary>The forecaster it acted on.</summary>
    public required string Forecaster { get; init; }

    /// <summary>Σ SM used / Σ SM share allocated over all application-steps (a pass-through step counts what it uses as allocated; above 1 when demand exceeded allocations).</summary>
    public double SmUtilization { get; init; }

    /// <summary>Σ VRAM held / Σ VRAM quota, as <see cref="SmUtilization"/>.</summary>
    public double VramUtilization { get; init; }

    /// <summary>Σ max(0, allocated − used) / Σ allocated, SM.</summary>
    public double SmSlack { get; init; }

    /// <summary>As <see cref="SmSlack"/>, VRAM.</summary>
    public double VramSlack { get; init; }

    /// <summary>Whether the traces observed VRAM (otherwise the VRAM figures are meaningless zeros).</summary>
    public bool VramObserved { get; init; }

    /// <summary>
    /// The node capacity the policy needs: the peak over steps of Σ over GPUs of the larger of
    /// (Σ VRAM quotas / GPU memory, Σ SM shares) — the GPUs' worth it reserves at its worst step.
    /// A lower bound when <see cref="Shortfalls"/> &gt; 0 (the node was too small for it).
    /// </summary>
    public double GpusNeeded { get; init; }

    /// <summary>Mean applications running at once.</summary>
    public double MeanConcurrentApps { get; init; }

    /// <summary>Applications per GPU: <see cref="MeanConcurrentApps"/> / max(<see cref="GpusNeeded"/>, 1e-9) — the density the policy would reach on a node sized for it.</summary>
    public double AppsPerGpu { get; init; }

    /// <summary>Steps in which demand exceeded the allocation, summed over applications.</summary>
    public long UnderAllocatedSteps { get; init; }

    /// <summary>Application-steps played.</summary>
    public long AppSteps { get; init; }

    /// <summary><see cref="UnderAllocatedSteps"/> / <see cref="AppSteps"/>.</summary>
    public double UnderAllocatedFraction { get; init; }

    /// <summary>Steps in which an application grew its VRAM.</summary>
    public long AllocationSteps { get; init; }

    /// <summary>Of those, steps served wholly from pre-mapped memory.</summary>
    public long PremappedHitSteps { get; init; }

    /// <summary><see cref="PremappedHitSteps"/> / <see cref="AllocationSteps"/> (0 when nothing was allocated).</summary>
    public double PremappedHitFraction { get; init; }

    /// <summary>Estimated total allocation wait, ns (cost model).</summary>
    public long WaitNs { get; init; }

    /// <summary>Grants that changed something.</summary>
    public long GrantChanges { get; init; }

    /// <summary>Migrations performed.</summary>
    public long Migrations { get; init; }

    /// <summary>Suspensions performed.</summary>
    public long Suspends { get; init; }

    /// <summary>Plans in which an application got less than it wanted.</summary>
    public long Shortfalls { get; init; }

    /// <summary><see cref="AppsPerGpu"/> / that of static-peak.</summary>
    public double? AppsPerGpuVsStatic { get; init; }

    /// <summary><see cref="SmUtilization"/> / that of the oracle.</summary>
    public double? SmUtilizationVsOracle { get; init; }

    /// <summary><see cref="VramUtilization"/> / that of the oracle.</summary>
    public double? VramUtilizationVsOracle { get; init; }
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// One application's (or the node's total) figures from a replay. Ratios are computed over sums,
/// so long-running applications weigh more. Slack = Σ max(0, allocated − used) / Σ allocated over the
/// steps with a grant: the share of what was set aside that sat idle.
/// Times are nanoseconds; memory is bytes.
/// </summary>
public sealed record AppReport
{
    /// <summary>Application name (or "total").</summary>
    public required string Name { get; init; }

    /// <summary>Steps of 10 ms played.</summary>
    public long Steps { get; init; }

    /// <summary>Steps played without a grant (pass-through, before the first plan).</summary>
    public long PassThroughSteps { get; init; }

    /// <summary>Which signals the source observed.</summary>
    public ObservedSignals Observed { get; init; }

    /// <summary>Mean SM busy fraction used.</summary>
    public double SmUsedMean { get; init; }

    /// <summary>Mean SM share granted (granted steps).</summary>
    public double SmGrantedMean { get; init; }

    /// <summary>Mean SM share reserved (granted steps); the share above it is lent (work-conserving).</summary>
    public double SmReservedMean { get; init; }

    /// <summary>Idle share of the SM reservation over granted steps, 0..1.</summary>
    public double SmSlack { get; init; }

    /// <summary>Mean VRAM held, bytes.</summary>
    public double VramUsedMeanBytes { get; init; }

    /// <summary>Mean VRAM quota (what the GPU set aside for it), bytes, over granted steps.</summary>
    public double VramQuotaMeanBytes { get; init; }

    /// <summary>Mean VRAM mapped (in use plus pre-mapped pool), bytes.</summary>
    public double VramMappedMeanBytes { get; init; }

    /// <summary>Mean VRAM reserved, bytes, over granted steps; the quota above it is lent (work-conserving).</summary>
    public double VramReservedMeanBytes { get; init; }

    /// <summary>Idle share of the VRAM reservation over granted steps, 0..1.</summary>
    public double VramSlack { get; init; }

    /// <summary>Steps in which VRAM demand exceeded the quota (an allocation would have been refused).</summary>
    public long VramOverQuotaSteps { get; init; }

    /// <summary>Steps in which SM demand exceeded the share (the application would have been throttled).</summary>
    public long SmOverShareSteps { get; init; }

    /// <summary>Steps in which the physical GPU could not back the memory (a real OOM).</summary>
    public long GpuOomSteps { get; init; }

    /// <summary>Steps in which the application had SM work on a GPU whose applications together used more SM than it has (time-sliced: slowed).</summary>
    public long SmContendedSteps { get; init; }

    /// <summary>Steps with work while a migration or restore had the application stopped (the plan's pause estimate, in steps).</summary>
    public long PausedStallSteps { get; init; }

    /// <summary>Steps in which the application grew its VRAM (allocated).</summary>
    public long AllocationSteps { get; init; }

    /// <summary>Of those, steps served entirely from pre-mapped chunks.</summary>
    public long PremappedHitSteps { get; init; }

    /// <summary>Bytes of growth served from pre-mapped chunks.</summary>
    public double PoolBytes { get; init; }

    /// <summary>Bytes of growth mapped fresh.</summary>
    public double FreshBytes { get; init; }

    /// <summary>Estimated total allocation wait, ns (cost model, not measured).</summary>
    public long WaitNs { get; init; }

    /// <summary>Grants that changed something.</summary>
    public long GrantChanges { get; init; }

    /// <summary>Plans in which the application got less than it wanted.</summary>
    public long Shortfalls { get; init; }

    /// <summary>Steps in which the application did not get what it demanded, each counted once: over its quota or share, a GPU out of memory, SM contention on its GPU, or work while suspended or stopped by a migration or restore.</summary>
    public long UnderAllocatedSteps { get; init; }

    /// <summary>Migrations to another GPU that the backend performed.</summary>
    public long Migrations { get; init; }

    /// <summary>Suspensions (GPU state checkpointed to the host) that the backend performed.</summary>
    public long Suspends { get; init; }

    /// <summary>Restores after a suspension that the backend performed.</summary>
    public long Restores { get; init; }

    /// <summary>Expected pause of the application from its slow-path actions, ns (the plan's cost estimate).</summary>
    public long PauseNs { get; init; }

    /// <summary>Steps with GPU work or memory growth while suspended (part of <see cref="UnderAllocatedSteps"/>).</summary>
    public long SuspendedStallSteps { get; init; }
}

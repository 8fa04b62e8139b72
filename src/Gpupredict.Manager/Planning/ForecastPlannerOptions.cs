using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Settings of <see cref="ForecastPlanner"/>; validated before use. The node-level ones (upper
/// quantile, reserve, oversubscription, suspension, migration, MPS, work-conserving caps) come from
/// the node policy through <see cref="Policies.PolicyPlanning.Options"/>; their defaults here are the
/// node policy's defaults at 10 ms steps (a test holds the two equal), so a planner built without a
/// policy behaves as one built from the built-in policy.
/// </summary>
public sealed record ForecastPlannerOptions
{
    /// <summary>The forecast quantile level granted, in [0.5, 1); default 0.99 (<c>node.upper_quantile</c>).</summary>
    public double UpperQuantile { get; init; } = 0.99;

    /// <summary>The quantile level below which demand counts as falling (dynamic adjustment shrinks the grant), in (0, 0.5); default 0.1.</summary>
    public double LowerQuantile { get; init; } = 0.1;

    /// <summary>Duration of one step, ns; default 10 ms. Weighs pauses against time lost per step.</summary>
    public long StepNs { get; init; } = TimeBase.StepNs;

    /// <summary>Steps of 10 ms a grant covers; the forecast's maximum over them is granted. Default 10 (100 ms).</summary>
    public int WindowSteps { get; init; } = 10;

    /// <summary>Relative headroom added to the quantile, ≥ 0; default 0.05 (5 %).</summary>
    public double Headroom { get; init; } = 0.05;

    /// <summary>A grant shrinks only when the want falls more than this fraction below it, in [0, 1); default 0.10.</summary>
    public double Hysteresis { get; init; } = 0.10;

    /// <summary>An SM share shrinks only when it falls by more than this absolute amount too, in [0, 1); default 0.02.</summary>
    public double SmHysteresisAbsolute { get; init; } = 0.02;

    /// <summary>
    /// Steps demand must stay outside the forecast interval before the application is re-planned at
    /// once, bypassing the hysteresis (scale up by <see cref="SurgeFactor"/>, or down to the new
    /// forecast). Default 3 (30 ms).
    /// </summary>
    public int SustainSteps { get; init; } = 3;

    /// <summary>Extra relative headroom while demand runs above the forecast for <see cref="SustainSteps"/>, ≥ 0; default 0.5.</summary>
    public double SurgeFactor { get; init; } = 0.5;

    /// <summary>Held back on every GPU: never granted (the driver, other tenants).</summary>
    public ResourceVector Reserve { get; init; } = ResourceVector.Zero;

    /// <summary>
    /// Oversubscription: quotas and SM shares on a GPU may add up to this multiple of what it has, but
    /// only while the sum of every application's <see cref="OversubscriptionQuantile"/> forecast fits.
    /// 1 disables it. Default 1 (off, <c>node.oversubscription.enabled: false</c>).
    /// </summary>
    public double MaxOversubscription { get; init; } = 1;

    /// <summary>The forecast level whose per-GPU sum must fit for oversubscription to be allowed, in (0, 1); default 0.99.</summary>
    public double OversubscriptionQuantile { get; init; } = 0.99;

    /// <summary>Steps without activity after which an application that may be suspended is; 0 disables suspension. Default 0 (off, <c>node.suspend.enabled: false</c>).</summary>
    public long SuspendAfterSteps { get; init; }

    /// <summary>A suspended application is restored when its forecast shows work within this many steps; default 50 (500 ms).</summary>
    public int RestoreLeadSteps { get; init; } = 50;

    /// <summary>Whether hot GPUs may be relieved by moving applications; default true.</summary>
    public bool MigrationEnabled { get; init; } = true;

    /// <summary>The longest pause a migration may cost an application, ns; default 2 s.</summary>
    public long MaxMigrationPauseNs { get; init; } = 2_000_000_000;

    /// <summary>The smallest share of a GPU a migration must free to be worth its pause, in [0, 1]; default 0.10.</summary>
    public double MinMigrationGain { get; init; } = 0.10;

    /// <summary>
    /// Bytes per second at which GPU state is checkpointed to the host or restored, for the pause
    /// estimates of suspend, restore and migration. An ESTIMATE (PCIe Gen4/5 host copies, pinned
    /// memory, less than the link rate) until measured with cuda-checkpoint on a GPU host. Default 10 GB/s.
    /// </summary>
    public double CheckpointBytesPerSecond { get; init; } = 10e9;

    /// <summary>Fixed cost of a checkpoint or restore (lock, driver work), ns; an ESTIMATE. Default 50 ms.</summary>
    public long CheckpointFixedNs { get; init; } = 50_000_000;

    /// <summary>Estimated pause of moving <paramref name="bytes"/> of GPU state out (or in) once.</summary>
    public long TransferPauseNs(double bytes) => CheckpointFixedNs + (long)(Math.Max(0, bytes) / CheckpointBytesPerSecond * 1e9);

    /// <summary>
    /// Reservations and limits: each application reserves its median plus its part of its GPU's
    /// pooled headroom; its VRAM quota reaches into what no reservation claims until the next plan,
    /// its SM share is its ceiling (time-sliced). Off: quota and share are the upper-quantile wants,
    /// hard caps. Default true (<c>node.work_conserving</c>).
    /// </summary>
    public bool WorkConserving { get; init; } = true;

    /// <summary>The node runs MPS: plans carry <see cref="SlowActionKind.SetMpsPartition"/> actions for new applications and large share changes. Default false.</summary>
    public bool MpsPartitions { get; init; }

    /// <summary>A granted share must move by this many percentage points before the MPS partition is set again, 1..100; default 10.</summary>
    public int MpsRepartitionPoints { get; init; } = 10;

    /// <summary>Throws when a setting is out of range; the message names the setting, range and value.</summary>
    public void Validate()
    {
        if (StepNs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StepNs), StepNs, "expected a step of at least 1 ns");
        }

        if (MpsRepartitionPoints is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MpsRepartitionPoints), MpsRepartitionPoints, "expected 1..100 percentage points");
        }

        if (SustainSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SustainSteps), SustainSteps, "expected at least 1 step");
        }

        if (!(SurgeFactor >= 0 && double.IsFinite(SurgeFactor)))
        {
            throw new ArgumentOutOfRangeException(nameof(SurgeFactor), SurgeFactor, "expected a finite fraction ≥ 0");
        }

        if (!(MaxOversubscription >= 1 && double.IsFinite(MaxOversubscription)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOversubscription), MaxOversubscription, "expected a finite factor ≥ 1");
        }

        if (!(OversubscriptionQuantile > 0 && OversubscriptionQuantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(OversubscriptionQuantile), OversubscriptionQuantile, "expected a quantile level in (0, 1)");
        }

        if (SuspendAfterSteps < 0 || RestoreLeadSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SuspendAfterSteps), $"suspend after {SuspendAfterSteps} steps and restore lead {RestoreLeadSteps} steps: expected ≥ 0 and ≥ 1");
        }

        if (!(MinMigrationGain >= 0 && MinMigrationGain <= 1) || MaxMigrationPauseNs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinMigrationGain), $"migration gain {MinMigrationGain} and pause {MaxMigrationPauseNs} ns: expected a gain in [0, 1] and a pause ≥ 0");
        }

        if (!(CheckpointBytesPerSecond > 0 && double.IsFinite(CheckpointBytesPerSecond)) || CheckpointFixedNs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointBytesPerSecond), $"checkpoint rate {CheckpointBytesPerSecond} B/s and fixed cost {CheckpointFixedNs} ns: expected a rate > 0 and a cost ≥ 0");
        }

        if (!(UpperQuantile >= 0.5 && UpperQuantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(UpperQuantile), UpperQuantile, "expected a quantile level in [0.5, 1)");
        }

        if (!(LowerQuantile > 0 && LowerQuantile < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(LowerQuantile), LowerQuantile, "expected a quantile level in (0, 0.5)");
        }

        if (WindowSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSteps), WindowSteps, "expected at least 1 step");
        }

        if (!(Headroom >= 0 && double.IsFinite(Headroom)))
        {
            throw new ArgumentOutOfRangeException(nameof(Headroom), Headroom, "expected a finite fraction ≥ 0");
        }

        if (!(Hysteresis >= 0 && Hysteresis < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Hysteresis), Hysteresis, "expected a fraction in [0, 1)");
        }

        if (!(SmHysteresisAbsolute >= 0 && SmHysteresisAbsolute < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SmHysteresisAbsolute), SmHysteresisAbsolute, "expected a fraction in [0, 1)");
        }
    }
}

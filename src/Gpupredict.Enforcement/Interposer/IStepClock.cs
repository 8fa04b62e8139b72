namespace Gpupredict.Enforcement.Interposer;

/// <summary>
/// Maps the planner's 10 ms steps onto CLOCK_MONOTONIC, the clock the interposer reads: a grant's
/// window [FromStep, UntilStep) becomes the control block's pre-map window in ns.
/// </summary>
public interface IStepClock
{
    /// <summary>CLOCK_MONOTONIC ns at which step <paramref name="step"/> begins (0 for a step before the clock's epoch).</summary>
    ulong StepStartNs(long step);

    /// <summary>CLOCK_MONOTONIC ns now.</summary>
    ulong NowNs();
}

namespace Gpupredict.Core.Planning;

/// <summary>
/// How one application's actual demand compared with what was forecast for it, step by step: the
/// input of dynamic adjustment (re-plan at once when demand leaves the interval for a sustained
/// window) and of reclamation (suspend after a long idle period).
/// </summary>
/// <param name="AboveSteps">Consecutive steps, up to now, in which demand exceeded the previous forecast's upper bound for the step (in any resource).</param>
/// <param name="BelowSteps">Consecutive steps in which demand was below the previous forecast's lower bound in every resource it uses.</param>
/// <param name="IdleSteps">Consecutive steps without GPU work, copies or memory growth.</param>
public sealed record DemandTracking(int AboveSteps, int BelowSteps, long IdleSteps)
{
    /// <summary>Nothing known yet.</summary>
    public static DemandTracking Fresh { get; } = new(0, 0, 0);
}

using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Pipeline;

/// <summary>A slow-path action that has finished, successfully or not.</summary>
/// <param name="Action">The action the plan asked for.</param>
/// <param name="IssuedStep">The step whose plan issued it (the application's pause counts from there).</param>
/// <param name="Result">What the backend reported.</param>
public readonly record struct SlowCompletion(SlowAction Action, long IssuedStep, EnforcementResult Result);

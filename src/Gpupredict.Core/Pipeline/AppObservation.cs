using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;

namespace Gpupredict.Core.Pipeline;

/// <summary>What one application used in one step, and what enforcement did to it.</summary>
/// <param name="App">The application.</param>
/// <param name="Demand">What it used (or, in a replay, wanted) in the step.</param>
/// <param name="Outcome">What the grant in force did to it in the step, as far as the source can tell (a replay's simulated node accounts for it fully).</param>
/// <param name="Exits">The application ends with this step: it is observed, then released at once.</param>
public readonly record struct AppObservation(AppId App, ResourceVector Demand, StepOutcome Outcome, bool Exits);

using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// One policy of a comparison: a planner and the forecaster it is meant to act on. Factories, not
/// instances: every run gets fresh state. Who composes the comparison (the CLI) does the pairing,
/// since this project sees only the interfaces.
/// </summary>
/// <param name="Policy">The name reports show.</param>
/// <param name="CreatePlanner">Creates the planning policy.</param>
/// <param name="CreateForecaster">Creates the forecaster paired with it.</param>
public sealed record PolicyEntry(string Policy, Func<IPlanner> CreatePlanner, Func<IForecaster> CreateForecaster);

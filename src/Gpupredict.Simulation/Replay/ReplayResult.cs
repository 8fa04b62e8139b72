using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Replay;

/// <summary>The outcome of replaying a set of applications under one planning policy.</summary>
/// <param name="Planner">The planning policy.</param>
/// <param name="Forecaster">The forecasting policy.</param>
/// <param name="Steps">Replay length in 10 ms steps.</param>
/// <param name="Gpus">The simulated node's GPUs.</param>
/// <param name="Apps">Per-application figures, in input order.</param>
/// <param name="Total">The node's total: counts summed over applications; means are node sums averaged over the replay's steps (SM in GPUs' worth).</param>
/// <param name="EnforcementErrors">Grants the backend refused, with reasons (empty when all applied).</param>
public sealed record ReplayResult(
    string Planner,
    string Forecaster,
    long Steps,
    IReadOnlyList<GpuCapacity> Gpus,
    IReadOnlyList<AppReport> Apps,
    AppReport Total,
    IReadOnlyList<string> EnforcementErrors);

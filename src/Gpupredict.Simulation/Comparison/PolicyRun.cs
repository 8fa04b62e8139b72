using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Comparison;

/// <summary>One policy's replay, its per-step node record and its summary row.</summary>
/// <param name="Result">The replay's per-application and total figures.</param>
/// <param name="Timeline">Allocated and used per step and GPU.</param>
/// <param name="Figures">The comparison row.</param>
public sealed record PolicyRun(ReplayResult Result, NodeTimeline Timeline, PolicyFigures Figures);

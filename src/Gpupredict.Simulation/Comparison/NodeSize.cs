namespace Gpupredict.Simulation.Comparison;

/// <summary>What <see cref="NodeSizing.Fit"/> found for one policy.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Forecaster">The forecaster it acted on.</param>
/// <param name="Gpus">The fewest GPUs found within the budget; null when even the largest node tried missed it.</param>
/// <param name="Figures">The replay on that node (on the largest node tried, when none met the budget).</param>
/// <param name="AppsPerGpu">Mean applications running at once / <paramref name="Gpus"/>; 0 when no size met the budget.</param>
/// <param name="Replays">Replays the bisection ran for this policy.</param>
public sealed record NodeSize(string Policy, string Forecaster, int? Gpus, PolicyFigures Figures, double AppsPerGpu, int Replays);

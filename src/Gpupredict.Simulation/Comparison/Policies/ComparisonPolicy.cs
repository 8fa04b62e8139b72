namespace Gpupredict.Simulation.Comparison.Policies;

/// <summary>
/// A policy the replay compares: a planning policy and the forecaster it is meant to act on. The
/// baselines bring their own (static-peak and HAMi-like ignore forecasts, reactive sizes from a
/// window of the past, the oracle reads the recorded future); ours takes whatever forecaster the
/// user chose (<see cref="Forecaster"/> null).
/// </summary>
/// <param name="Name">The name reports show and <c>--policy</c> takes.</param>
/// <param name="Planner">The planning policy's registered name.</param>
/// <param name="Forecaster">Its forecaster's registered name, or null for the user's choice.</param>
/// <param name="Description">One line for help and reports.</param>
public sealed record ComparisonPolicy(string Name, string Planner, string? Forecaster, string Description);

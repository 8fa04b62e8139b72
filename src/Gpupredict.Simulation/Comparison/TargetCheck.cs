namespace Gpupredict.Simulation.Comparison;

/// <summary>One of the product's targets, checked against a policy's figures.</summary>
/// <param name="Target">What is measured, e.g. "SM slack".</param>
/// <param name="Goal">The goal in words, e.g. "&lt; 15%".</param>
/// <param name="Actual">The measured value, formatted.</param>
/// <param name="Met">Whether it was met; null when it could not be measured (a reference run or signal was missing).</param>
public sealed record TargetCheck(string Target, string Goal, string Actual, bool? Met);

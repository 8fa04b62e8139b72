namespace Gpupredict.Simulation.Comparison;

/// <summary>The outcome of <see cref="PolicyComparison.Run"/>: one run per policy, in the order given.</summary>
/// <param name="Runs">The runs.</param>
public sealed record ComparisonResult(IReadOnlyList<PolicyRun> Runs)
{
    /// <summary>The rows, one per policy.</summary>
    public IEnumerable<PolicyFigures> Figures => Runs.Select(r => r.Figures);

    /// <summary>The run of <paramref name="policy"/>, or null.</summary>
    public PolicyRun? Find(string policy) => Runs.FirstOrDefault(r => r.Figures.Policy == policy);
}

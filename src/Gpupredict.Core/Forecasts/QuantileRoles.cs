namespace Gpupredict.Core.Forecasts;

/// <summary>
/// The quantile levels a planner reads from every forecast, by what it uses them for. The planner
/// declares them (<see cref="Planning.IPlanner.Quantiles"/>); the forecasters and the demand tracker
/// of a pipeline are built from them (<see cref="QuantileGrid.For"/>), so that a level the planner
/// needs is one every forecast carries, never a neighbour it is silently rounded to.
/// </summary>
/// <param name="Lower">Lower bound of the interval demand is tracked against (falling demand), in (0, 1).</param>
/// <param name="Median">The central forecast (reservations, suspend and restore decisions), in (0, 1).</param>
/// <param name="Upper">The level granted, and the upper bound demand is tracked against, in (0, 1).</param>
/// <param name="Likely">The level whose sum over a GPU must fit for oversubscription, in (0, 1).</param>
public readonly record struct QuantileRoles(double Lower, double Median, double Upper, double Likely)
{
    /// <summary>The roles of a planner that says nothing else: interval [0.1, 0.99], median 0.5, grants and oversubscription at 0.99.</summary>
    public static QuantileRoles Default => new(0.1, 0.5, 0.99, 0.99);

    /// <summary>Checks the invariants; returns null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        foreach ((string name, double level) in (ReadOnlySpan<(string, double)>)[("lower", Lower), ("median", Median), ("upper", Upper), ("likely", Likely)])
        {
            if (!(level > 0 && level < 1))
            {
                return $"the {name} quantile level {level} is not inside (0, 1)";
            }
        }

        return Lower < Median && Median <= Upper ? null : $"expected lower < median ≤ upper; found {Lower}, {Median}, {Upper}";
    }
}

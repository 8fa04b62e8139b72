using System.Globalization;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// The one owner of quantile levels: a grid of levels every forecast of a pipeline carries, with the
/// index of each role the planner reads (<see cref="QuantileRoles"/>). Built either for a planner
/// (<see cref="For"/>: the standard planning levels plus the planner's own, each with its mirror
/// around the median) or checked against what an existing forecaster emits (<see cref="Of"/>), which
/// fails, naming the level, when a role is not among the forecaster's levels.
/// </summary>
public sealed class QuantileGrid
{
    /// <summary>Levels closer than this are the same level (0.05 written as 1 - 0.95 is still 0.05).</summary>
    private const double Tolerance = 1e-9;

    private static readonly double[] PlanningLevels = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999];
    private static readonly double[] BacktestLevels = [0.01, 0.1, 0.5, 0.9, 0.99];

    private readonly double[] _levels;

    private QuantileGrid(double[] levels, QuantileRoles roles, int lower, int median, int upper, int likely)
    {
        _levels = levels;
        Roles = roles;
        Lower = lower;
        Median = median;
        Upper = upper;
        Likely = likely;
    }

    /// <summary>
    /// The levels replays, training and the daemon forecast by default: symmetric around the median,
    /// so that <c>conformal-*</c> forecasters can calibrate them in pairs, and reaching p99.9.
    /// </summary>
    public static IReadOnlyList<double> Planning => PlanningLevels;

    /// <summary>The levels <c>gpupredictctl backtest</c> scores (pinball loss, 80 % and 98 % interval coverage).</summary>
    public static IReadOnlyList<double> Backtest => BacktestLevels;

    /// <summary>The levels, increasing, inside (0, 1).</summary>
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>The levels as a list (a copy), for constructors that take one.</summary>
    public IReadOnlyList<double> LevelList => [.. _levels];

    /// <summary>The roles the grid was built or checked for.</summary>
    public QuantileRoles Roles { get; }

    /// <summary>Index of <see cref="QuantileRoles.Lower"/> in <see cref="Levels"/>.</summary>
    public int Lower { get; }

    /// <summary>Index of <see cref="QuantileRoles.Median"/> in <see cref="Levels"/>.</summary>
    public int Median { get; }

    /// <summary>Index of <see cref="QuantileRoles.Upper"/> in <see cref="Levels"/>.</summary>
    public int Upper { get; }

    /// <summary>Index of <see cref="QuantileRoles.Likely"/> in <see cref="Levels"/>.</summary>
    public int Likely { get; }

    /// <summary>The planning levels (<see cref="Planning"/>) plus every role of <paramref name="roles"/> and its mirror (1 - level), increasing.</summary>
    /// <exception cref="ArgumentException">A role is outside (0, 1) or the roles are out of order.</exception>
    public static QuantileGrid For(QuantileRoles roles)
    {
        Check(roles);
        var levels = new List<double>(PlanningLevels);
        foreach (double level in (ReadOnlySpan<double>)[roles.Lower, roles.Median, roles.Upper, roles.Likely])
        {
            Include(levels, level);
            Include(levels, Math.Round(1 - level, 12));
        }

        levels.Sort();
        return Of([.. levels], roles, "the planning grid");
    }

    /// <summary>
    /// Checks that the levels a forecaster emits carry every role; the grid is those levels.
    /// </summary>
    /// <param name="levels">The forecaster's levels, increasing, inside (0, 1).</param>
    /// <param name="roles">What the planner reads.</param>
    /// <param name="source">Who emits the levels (a forecaster's name, a model file), for the message.</param>
    /// <exception cref="ArgumentException">The levels are not increasing inside (0, 1), or a role is not among them; the message names both.</exception>
    public static QuantileGrid Of(ReadOnlySpan<double> levels, QuantileRoles roles, string source)
    {
        Check(roles);
        for (int q = 0; q < levels.Length; q++)
        {
            if (!(levels[q] > 0 && levels[q] < 1) || (q > 0 && levels[q] <= levels[q - 1]))
            {
                throw new ArgumentException($"{source}: quantile levels must increase inside (0, 1); found [{Describe(levels)}]");
            }
        }

        double[] copy = levels.ToArray();
        return new QuantileGrid(copy, roles, Find(copy, roles.Lower, "lower", source), Find(copy, roles.Median, "median", source), Find(copy, roles.Upper, "upper", source), Find(copy, roles.Likely, "likely", source));
    }

    /// <summary>The index of <paramref name="level"/> in <paramref name="levels"/>, or -1 when it is not there.</summary>
    public static int IndexOf(ReadOnlySpan<double> levels, double level)
    {
        for (int q = 0; q < levels.Length; q++)
        {
            if (Math.Abs(levels[q] - level) < Tolerance)
            {
                return q;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="levels"/> are exactly this grid's levels (within the tolerance).</summary>
    public bool Matches(ReadOnlySpan<double> levels)
    {
        if (levels.Length != _levels.Length)
        {
            return false;
        }

        for (int q = 0; q < levels.Length; q++)
        {
            if (Math.Abs(levels[q] - _levels[q]) >= Tolerance)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The levels as text: "0.1, 0.5, 0.99".</summary>
    public static string Describe(ReadOnlySpan<double> levels)
    {
        var parts = new string[levels.Length];
        for (int q = 0; q < levels.Length; q++)
        {
            parts[q] = levels[q].ToString("0.######", CultureInfo.InvariantCulture);
        }

        return string.Join(", ", parts);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Describe(_levels)}]";

    private static void Check(QuantileRoles roles)
    {
        if (roles.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(roles));
        }
    }

    private static void Include(List<double> levels, double level)
    {
        if (IndexOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(levels), level) < 0)
        {
            levels.Add(level);
        }
    }

    private static int Find(double[] levels, double level, string role, string source)
    {
        int q = IndexOf(levels, level);
        return q >= 0 ? q : throw new ArgumentException(
            $"{source} forecasts quantile levels [{Describe(levels)}]; the planner reads the {role} quantile {level.ToString("0.######", CultureInfo.InvariantCulture)}, which is not among them");
    }
}

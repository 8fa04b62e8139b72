namespace Gpupredict.Training.Evaluation;

/// <summary>Deals applications into the folds of a <see cref="BacktestSplit.ByApplication"/> split.</summary>
public static class BacktestFolds
{
    /// <summary>
    /// The fold of every series: series with the same group (one application, e.g. the ranks of one
    /// training job, or the processes of one trace file) always share a fold, so that no fold is scored
    /// on an application its model was trained on. The distinct groups are shuffled with
    /// <paramref name="seed"/> and dealt round-robin into min(<paramref name="folds"/>, groups) folds.
    /// </summary>
    /// <param name="groups">The application of each series.</param>
    /// <param name="folds">Folds wanted, ≥ 2.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>The fold of each series, and the number of folds.</returns>
    /// <exception cref="ArgumentException">Fewer than two distinct groups.</exception>
    public static (int[] Fold, int Folds) Assign(IReadOnlyList<string> groups, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        string[] distinct = [.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (distinct.Length < 2)
        {
            throw new ArgumentException($"a by-application split needs at least 2 applications; the data has {distinct.Length}", nameof(groups));
        }

        // Fisher-Yates with a seeded System.Random: the same seed deals the same folds on every run.
        var random = new Random(seed);
        for (int i = distinct.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (distinct[i], distinct[j]) = (distinct[j], distinct[i]);
        }

        int k = Math.Min(folds, distinct.Length);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < distinct.Length; i++)
        {
            foldOf[distinct[i]] = i % k;
        }

        return ([.. groups.Select(g => foldOf[g])], k);
    }
}

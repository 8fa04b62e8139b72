namespace Gpupredict.Ctl.Commands;

/// <summary>
/// Which Alibaba pods a command uses: all, or every other one (by position in container-id order),
/// so that a model can be trained on one half and replayed on the other without seeing its pods.
/// </summary>
internal static class PodSplit
{
    public const string Option = "--pods";

    public const string Help = "all | even | odd: every pod, or every other one in container-id order (default: all)";

    /// <summary>The selection named by <see cref="Option"/>.</summary>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> pods, string? which) => which switch
    {
        null or "all" => pods,
        "even" => [.. pods.Where((_, i) => i % 2 == 0)],
        "odd" => [.. pods.Where((_, i) => i % 2 == 1)],
        _ => throw new UsageException($"option {Option}: expected all, even or odd, got '{which}'"),
    };
}

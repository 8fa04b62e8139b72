namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>
/// The driver's checkpoint lifecycle as a table: which step is allowed in which state and where it
/// leads. Anything not in the table is refused before the tool runs.
/// </summary>
public static class CheckpointTransitions
{
    private static readonly Dictionary<(CheckpointState From, CheckpointStep Step), CheckpointState> Table = new()
    {
        [(CheckpointState.Running, CheckpointStep.Lock)] = CheckpointState.Locked,
        [(CheckpointState.Locked, CheckpointStep.Checkpoint)] = CheckpointState.Checkpointed,
        [(CheckpointState.Checkpointed, CheckpointStep.Restore)] = CheckpointState.Locked,
        [(CheckpointState.Locked, CheckpointStep.Unlock)] = CheckpointState.Running,
        [(CheckpointState.Running, CheckpointStep.Toggle)] = CheckpointState.Checkpointed,
        [(CheckpointState.Checkpointed, CheckpointStep.Toggle)] = CheckpointState.Running,
    };

    /// <summary>Every allowed transition.</summary>
    public static IEnumerable<(CheckpointState From, CheckpointStep Step, CheckpointState To)> All =>
        Table.Select(static t => (t.Key.From, t.Key.Step, t.Value));

    /// <summary>The state after <paramref name="step"/> from <paramref name="from"/>, or null when the step is not allowed there.</summary>
    public static CheckpointState? Next(CheckpointState from, CheckpointStep step) =>
        Table.TryGetValue((from, step), out CheckpointState to) ? to : null;
}

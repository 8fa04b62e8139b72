namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>One cuda-checkpoint operation on a process.</summary>
public enum CheckpointStep
{
    /// <summary><c>--action lock</c>: Running -> Locked.</summary>
    Lock,

    /// <summary><c>--action checkpoint</c>: Locked -> Checkpointed.</summary>
    Checkpoint,

    /// <summary><c>--action restore</c>: Checkpointed -> Locked (optionally onto other GPUs).</summary>
    Restore,

    /// <summary><c>--action unlock</c>: Locked -> Running.</summary>
    Unlock,

    /// <summary><c>--toggle</c>, for tools before r570: Running -> Checkpointed and back.</summary>
    Toggle,
}

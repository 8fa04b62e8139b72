namespace Gpupredict.Core.Planning;

/// <summary>The slow-path actions a plan may ask for (seconds, not 10 ms): see <see cref="SlowAction"/>.</summary>
public enum SlowActionKind
{
    /// <summary>Set the MPS active-thread percentage the application's next CUDA context gets (a client's share is fixed once its context exists).</summary>
    SetMpsPartition = 1,

    /// <summary>Checkpoint the application's GPU state to host memory and release its device memory.</summary>
    Suspend = 2,

    /// <summary>Bring a suspended application's GPU state back onto <see cref="SlowAction.TargetGpu"/>.</summary>
    Restore = 3,

    /// <summary>Move a running application from <see cref="SlowAction.Gpu"/> to <see cref="SlowAction.TargetGpu"/> (checkpoint, restore elsewhere).</summary>
    Migrate = 4,
}

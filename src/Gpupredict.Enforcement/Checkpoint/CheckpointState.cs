namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>An application's CUDA checkpoint state, as the driver names them (<c>cuda-checkpoint --get-state</c>).</summary>
public enum CheckpointState
{
    /// <summary>CUDA runs normally ("running").</summary>
    Running,

    /// <summary>CUDA driver calls are blocked and submitted work is finished ("locked").</summary>
    Locked,

    /// <summary>Device memory is in host memory and the GPU is released ("checkpointed").</summary>
    Checkpointed,
}

namespace Gpupredict.Interop.Nvml;

/// <summary>NVML's <c>nvmlComputeMode_t</c>: who may create CUDA contexts on a GPU.</summary>
public enum GpuComputeMode
{
    /// <summary>Any number of processes and contexts.</summary>
    Default = 0,

    /// <summary>One context per thread (deprecated by NVIDIA).</summary>
    ExclusiveThread = 1,

    /// <summary>No contexts at all.</summary>
    Prohibited = 2,

    /// <summary>One process at a time (the usual setting under MPS).</summary>
    ExclusiveProcess = 3,
}

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>The <c>cat</c> values of Kineto events the importer reads; everything else is <see cref="Other"/>.</summary>
internal enum KinetoCategory : byte
{
    /// <summary>A category the importer skips (flows, annotations on the GPU, profiler spans...).</summary>
    Other = 0,

    /// <summary><c>cpu_op</c> and <c>user_annotation</c>: host activity, which marks a host process.</summary>
    HostActivity,

    /// <summary><c>cuda_runtime</c> (also ROCm <c>hip*</c> calls).</summary>
    Runtime,

    /// <summary><c>cuda_driver</c>.</summary>
    Driver,

    /// <summary><c>kernel</c>: a GPU execution interval.</summary>
    Kernel,

    /// <summary><c>gpu_memcpy</c>.</summary>
    Memcpy,

    /// <summary><c>gpu_memset</c>.</summary>
    Memset,

    /// <summary><c>cpu_instant_event</c> (carries the <c>[memory]</c> allocator events).</summary>
    CpuInstant,
}

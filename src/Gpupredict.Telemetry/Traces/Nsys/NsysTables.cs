namespace Gpupredict.Telemetry.Traces.Nsys;

/// <summary>Names of the Nsight Systems export tables the importer reads.</summary>
internal static class NsysTables
{
    /// <summary>GPU kernel execution intervals.</summary>
    public const string Kernel = "CUPTI_ACTIVITY_KIND_KERNEL";

    /// <summary>GPU copy intervals with bytes and direction.</summary>
    public const string Memcpy = "CUPTI_ACTIVITY_KIND_MEMCPY";

    /// <summary>GPU memset intervals with bytes.</summary>
    public const string Memset = "CUPTI_ACTIVITY_KIND_MEMSET";

    /// <summary>Host CUDA runtime/driver API calls.</summary>
    public const string Runtime = "CUPTI_ACTIVITY_KIND_RUNTIME";

    /// <summary>Device allocations and frees with size and address (<c>nsys --cuda-memory-usage=true</c>).</summary>
    public const string MemoryUsage = "CUDA_GPU_MEMORY_USAGE_EVENTS";

    /// <summary>Interned strings (API and kernel names).</summary>
    public const string StringIds = "StringIds";

    /// <summary>Process names.</summary>
    public const string Processes = "PROCESSES";

    /// <summary>Names of the <c>copyKind</c> values.</summary>
    public const string MemcpyKindEnum = "ENUM_CUDA_MEMCPY_OPER";

    /// <summary>The tables that hold CUDA activity; an export needs at least one.</summary>
    public static readonly string[] Activity = [Kernel, Memcpy, Memset, Runtime];
}

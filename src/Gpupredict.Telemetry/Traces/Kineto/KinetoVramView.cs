namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>
/// Which total of PyTorch's CUDA caching allocator, as reported by Kineto's <c>[memory]</c> events,
/// becomes the VRAM signal of an imported trace.
/// </summary>
/// <remarks>
/// <see cref="Reserved"/> is the default. It is what the driver has handed to the process
/// (<c>cudaMalloc</c>'d segments): what NVML reports for the process, what the interposer sees live
/// through <c>cuMemAlloc</c>/<c>cuMemFree</c>, what pre-mapping must back with physical memory, and what
/// the manager could take back only by suspending the process (the caching allocator keeps freed blocks).
/// Training on the same quantity the daemon observes live keeps imported and live series comparable.
/// What was held before profiling began (the first event's total minus its own change) is placed at
/// the start of the trace as one allocation flagged Estimated.
/// <see cref="Allocated"/> (live tensors) is the finer, more variable signal — useful to study allocation
/// patterns — but sizing a quota by it would cut into memory the application already holds.
/// </remarks>
public enum KinetoVramView
{
    /// <summary>VRAM = <c>Total Reserved</c>: one event per change of the reserved total.</summary>
    Reserved = 0,

    /// <summary>VRAM = <c>Total Allocated</c>: one allocation or free per tensor block, paired by address.</summary>
    Allocated = 1,
}

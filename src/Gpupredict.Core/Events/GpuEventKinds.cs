namespace Gpupredict.Core.Events;

/// <summary>Classification of <see cref="GpuEventKind"/> values.</summary>
public static class GpuEventKinds
{
    /// <summary>True for kinds that make device memory appear (pinned host memory excluded).</summary>
    public static bool IsDeviceAlloc(this GpuEventKind kind) =>
        kind is GpuEventKind.Alloc or GpuEventKind.AllocAsync or GpuEventKind.AllocManaged or GpuEventKind.AllocVmm;

    /// <summary>True for kinds that release device memory (pinned host memory excluded).</summary>
    public static bool IsDeviceFree(this GpuEventKind kind) =>
        kind is GpuEventKind.Free or GpuEventKind.FreeAsync or GpuEventKind.FreeManaged or GpuEventKind.FreeVmm;

    /// <summary>True for copies in any direction.</summary>
    public static bool IsMemcpy(this GpuEventKind kind) => kind is >= GpuEventKind.MemcpyHtoD and <= GpuEventKind.MemcpyPeer;

    /// <summary>True for copies and memsets: the events whose bytes count as memory traffic.</summary>
    public static bool IsTransfer(this GpuEventKind kind) => kind.IsMemcpy() || kind == GpuEventKind.Memset;
}

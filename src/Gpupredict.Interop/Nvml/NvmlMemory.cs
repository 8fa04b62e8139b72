using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Nvml;

/// <summary>NVML's <c>nvmlMemory_t</c> (nvmlDeviceGetMemoryInfo): three byte counts, 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    /// <summary>Installed device memory, bytes.</summary>
    public ulong Total;

    /// <summary>Unallocated device memory, bytes.</summary>
    public ulong Free;

    /// <summary>Allocated device memory, bytes.</summary>
    public ulong Used;
}

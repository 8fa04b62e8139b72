using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// NVML's <c>nvmlProcessInfo_t</c> as nvmlDeviceGetComputeRunningProcesses_v3 fills it (the v2 layout):
/// 24 bytes, with 4 bytes of padding after <see cref="Pid"/> that sequential layout reproduces.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    /// <summary>usedGpuMemory when the driver cannot tell (NVML_VALUE_NOT_AVAILABLE).</summary>
    public const ulong ValueNotAvailable = ulong.MaxValue;

    /// <summary>An instance id of a process on a GPU not in MIG mode.</summary>
    public const uint NoInstance = uint.MaxValue;

    /// <summary>Process id.</summary>
    public uint Pid;

    /// <summary>Device memory the process holds, bytes, or <see cref="ValueNotAvailable"/>.</summary>
    public ulong UsedGpuMemory;

    /// <summary>MIG GPU instance, or <see cref="NoInstance"/>.</summary>
    public uint GpuInstanceId;

    /// <summary>MIG compute instance, or <see cref="NoInstance"/>.</summary>
    public uint ComputeInstanceId;
}

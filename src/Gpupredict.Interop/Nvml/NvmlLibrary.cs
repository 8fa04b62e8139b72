using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// NVML loaded at run time: the library is optional (absent on hosts without NVIDIA's driver), so it
/// is opened with <see cref="NativeLibrary.TryLoad(string, out nint)"/> and its entry points resolved
/// as unmanaged function pointers, never linked through <c>[LibraryImport]</c>. Signatures follow
/// native/include/gpupredict/nvml_subset.h (NVIDIA's NVML API reference); <c>nvmlDevice_t</c> is an
/// opaque pointer (<see cref="nint"/>). Every function but <see cref="ErrorString"/> returns an
/// <see cref="NvmlReturn"/>; callers turn failures into <see cref="NvmlException"/> with <see cref="Error"/>.
/// </summary>
internal sealed unsafe class NvmlLibrary
{
    private NvmlLibrary(nint library, Func<string, nint> export)
    {
        Init = (delegate* unmanaged<NvmlReturn>)export("nvmlInit_v2");
        var shutdown = (delegate* unmanaged<NvmlReturn>)export("nvmlShutdown");
        ErrorString = (delegate* unmanaged<NvmlReturn, byte*>)export("nvmlErrorString");
        SystemGetDriverVersion = (delegate* unmanaged<byte*, uint, NvmlReturn>)export("nvmlSystemGetDriverVersion");
        DeviceGetCount = (delegate* unmanaged<uint*, NvmlReturn>)export("nvmlDeviceGetCount_v2");
        DeviceGetHandleByIndex = (delegate* unmanaged<uint, nint*, NvmlReturn>)export("nvmlDeviceGetHandleByIndex_v2");
        DeviceGetUuid = (delegate* unmanaged<nint, byte*, uint, NvmlReturn>)export("nvmlDeviceGetUUID");
        DeviceGetName = (delegate* unmanaged<nint, byte*, uint, NvmlReturn>)export("nvmlDeviceGetName");
        DeviceGetMemoryInfo = (delegate* unmanaged<nint, NvmlMemory*, NvmlReturn>)export("nvmlDeviceGetMemoryInfo");
        DeviceGetMigMode = (delegate* unmanaged<nint, uint*, uint*, NvmlReturn>)export("nvmlDeviceGetMigMode");
        DeviceGetComputeMode = (delegate* unmanaged<nint, int*, NvmlReturn>)export("nvmlDeviceGetComputeMode");
        DeviceGetComputeRunningProcesses = (delegate* unmanaged<nint, uint*, NvmlProcessInfo*, NvmlReturn>)export("nvmlDeviceGetComputeRunningProcesses_v3");
        DeviceGetMultiProcessorCount = (delegate* unmanaged<nint, uint*, NvmlReturn>)export("nvmlDeviceGetMultiProcessorCount");
        Handle = new SafeNvmlHandle(library, shutdown);
    }

    /// <summary>The library and the init it owes a shutdown for.</summary>
    public SafeNvmlHandle Handle { get; }

    /// <summary>nvmlInit_v2(void): reference counted; every success needs one nvmlShutdown (the handle's release).</summary>
    public delegate* unmanaged<NvmlReturn> Init { get; }

    /// <summary>nvmlErrorString(result): a static NUL-terminated string, never NULL; callable before init.</summary>
    public delegate* unmanaged<NvmlReturn, byte*> ErrorString { get; }

    /// <summary>nvmlSystemGetDriverVersion(char *version, unsigned length): InsufficientSize when length cannot hold text and NUL (80 always can).</summary>
    public delegate* unmanaged<byte*, uint, NvmlReturn> SystemGetDriverVersion { get; }

    /// <summary>nvmlDeviceGetCount_v2(unsigned *count): the GPUs this process may see.</summary>
    public delegate* unmanaged<uint*, NvmlReturn> DeviceGetCount { get; }

    /// <summary>nvmlDeviceGetHandleByIndex_v2(unsigned index, nvmlDevice_t *device): InvalidArgument past the count.</summary>
    public delegate* unmanaged<uint, nint*, NvmlReturn> DeviceGetHandleByIndex { get; }

    /// <summary>nvmlDeviceGetUUID(device, char *uuid, unsigned length): "GPU-..." (96 bytes always hold it).</summary>
    public delegate* unmanaged<nint, byte*, uint, NvmlReturn> DeviceGetUuid { get; }

    /// <summary>nvmlDeviceGetName(device, char *name, unsigned length): the product name (96 bytes always hold it).</summary>
    public delegate* unmanaged<nint, byte*, uint, NvmlReturn> DeviceGetName { get; }

    /// <summary>nvmlDeviceGetMemoryInfo(device, nvmlMemory_t *memory): total, free, used bytes.</summary>
    public delegate* unmanaged<nint, NvmlMemory*, NvmlReturn> DeviceGetMemoryInfo { get; }

    /// <summary>nvmlDeviceGetMigMode(device, unsigned *current, unsigned *pending): 1 = enabled; NotSupported on GPUs without MIG.</summary>
    public delegate* unmanaged<nint, uint*, uint*, NvmlReturn> DeviceGetMigMode { get; }

    /// <summary>nvmlDeviceGetComputeMode(device, nvmlComputeMode_t *mode): an int-sized enum, <see cref="GpuComputeMode"/>.</summary>
    public delegate* unmanaged<nint, int*, NvmlReturn> DeviceGetComputeMode { get; }

    /// <summary>
    /// nvmlDeviceGetComputeRunningProcesses_v3(device, unsigned *count, nvmlProcessInfo_t *infos):
    /// <c>*count</c> is the capacity on entry and the number filled on return; when the processes do
    /// not fit, InsufficientSize with <c>*count</c> = the number needed.
    /// </summary>
    public delegate* unmanaged<nint, uint*, NvmlProcessInfo*, NvmlReturn> DeviceGetComputeRunningProcesses { get; }

    /// <summary>nvmlDeviceGetMultiProcessorCount(device, unsigned *count): SMs; NotSupported on some devices.</summary>
    public delegate* unmanaged<nint, uint*, NvmlReturn> DeviceGetMultiProcessorCount { get; }

    /// <summary>
    /// Loads <paramref name="path"/> (a file name is looked up as dlopen does) and resolves every entry
    /// point. Opened, or LibraryNotFound / EntryPointMissing with <paramref name="reason"/>; never throws
    /// for a missing or foreign library.
    /// </summary>
    public static NvmlOpenStatus TryLoad(string path, out NvmlLibrary? library, out string reason)
    {
        library = null;
        if (!NativeLibrary.TryLoad(path, out nint handle))
        {
            reason = $"NVML is not available: {path} could not be loaded";
            return NvmlOpenStatus.LibraryNotFound;
        }

        var missing = new List<string>();
        var loaded = new NvmlLibrary(handle, name => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : Missing(missing, name));
        if (missing.Count > 0)
        {
            loaded.Handle.Dispose();
            reason = $"NVML is not available: {path} lacks {string.Join(", ", missing)}";
            return NvmlOpenStatus.EntryPointMissing;
        }

        library = loaded;
        reason = string.Empty;
        return NvmlOpenStatus.Opened;
    }

    /// <summary>The exception for <paramref name="function"/> returning <paramref name="result"/>, with NVML's text for it.</summary>
    public NvmlException Error(string function, NvmlReturn result) =>
        new(function, result, Marshal.PtrToStringUTF8((nint)ErrorString(result)) ?? result.ToString());

    private static nint Missing(List<string> missing, string name)
    {
        missing.Add(name);
        return 0;
    }
}

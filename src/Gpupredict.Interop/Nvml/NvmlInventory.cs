using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// The node's GPUs read through NVML. <see cref="Open"/> loads the library and initialises it (or says
/// why it cannot: no library is an ordinary answer on a host without NVIDIA's driver, not an
/// exception); <see cref="Read"/> and <see cref="GetProcessMemory"/> ask the driver each time they are
/// called and throw <see cref="NvmlException"/> when it fails. Dispose shuts NVML down and unloads it.
/// Safe to call from several threads; calls racing with <see cref="Dispose"/> throw
/// <see cref="ObjectDisposedException"/> rather than touch an unloaded library.
/// </summary>
public sealed unsafe class NvmlInventory : IDisposable
{
    /// <summary>NVML's library as the driver installs it.</summary>
    public const string DefaultLibrary = "libnvidia-ml.so.1";

    /// <summary>Bytes of NVML's largest documented string buffer (name and UUID, v2).</summary>
    private const int StringBufferBytes = 96;

    /// <summary>Process slots tried first; more when NVML answers InsufficientSize.</summary>
    private const uint InitialProcessCapacity = 16;

    /// <summary>Extra slots over the count NVML asked for: processes may start between two calls.</summary>
    private const uint ProcessSlack = 8;

    /// <summary>Tries at growing the buffer before giving up on a process list that keeps growing.</summary>
    private const int ProcessAttempts = 4;

    private readonly NvmlLibrary _nvml;

    private NvmlInventory(NvmlLibrary nvml, string driverVersion)
    {
        _nvml = nvml;
        DriverVersion = driverVersion;
    }

    /// <summary>The NVIDIA driver version, e.g. "550.54.15".</summary>
    public string DriverVersion { get; }

    /// <summary>
    /// Loads NVML from <paramref name="libraryPath"/> (a file name is searched for as dlopen does; tests
    /// pass the test double's path) and initialises it. Never throws for an absent or broken NVML:
    /// the result says <see cref="NvmlOpenStatus.LibraryNotFound"/>, <see cref="NvmlOpenStatus.EntryPointMissing"/>
    /// or <see cref="NvmlOpenStatus.InitFailed"/> (with the <see cref="NvmlException"/>).
    /// </summary>
    public static NvmlOpenResult Open(string libraryPath = DefaultLibrary)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryPath);
        NvmlOpenStatus status = NvmlLibrary.TryLoad(libraryPath, out NvmlLibrary? nvml, out string reason);
        if (nvml is null)
        {
            return NvmlOpenResult.NotAvailable(status, reason);
        }

        NvmlReturn init = nvml.Init();
        if (init != NvmlReturn.Success)
        {
            NvmlException error = nvml.Error("nvmlInit_v2", init);
            nvml.Handle.Dispose();
            return NvmlOpenResult.InitFailed(error);
        }

        nvml.Handle.MarkInitialized();
        try
        {
            return NvmlOpenResult.Opened(new NvmlInventory(nvml, ReadDriverVersion(nvml)));
        }
        catch (NvmlException e)
        {
            nvml.Handle.Dispose();
            return NvmlOpenResult.InitFailed(e);
        }
    }

    /// <summary>Every GPU NVML sees now, in index order.</summary>
    /// <exception cref="NvmlException">A query failed (other than NotSupported for MIG mode or SM count).</exception>
    public GpuInventory Read()
    {
        bool added = false;
        _nvml.Handle.DangerousAddRef(ref added);
        try
        {
            uint count;
            Check("nvmlDeviceGetCount_v2", _nvml.DeviceGetCount(&count));
            var gpus = ImmutableArray.CreateBuilder<GpuDevice>((int)count);
            for (uint i = 0; i < count; i++)
            {
                gpus.Add(ReadDevice(i));
            }

            return new GpuInventory(gpus.MoveToImmutable(), Simulated: false, DriverVersion);
        }
        finally
        {
            if (added)
            {
                _nvml.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The compute processes on GPU <paramref name="gpuIndex"/> and the device memory each holds, in
    /// NVML's order. Follows NVML's InsufficientSize protocol: the buffer grows to the count NVML asks
    /// for (plus slack for processes starting meanwhile) a few times before giving up.
    /// </summary>
    /// <exception cref="NvmlException">The index is past the count (InvalidArgument), or a query failed.</exception>
    public ImmutableArray<GpuProcessMemory> GetProcessMemory(int gpuIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gpuIndex);
        bool added = false;
        _nvml.Handle.DangerousAddRef(ref added);
        try
        {
            nint device = Device((uint)gpuIndex);
            uint capacity = InitialProcessCapacity;
            NvmlReturn result = NvmlReturn.InsufficientSize;
            for (int attempt = 0; attempt < ProcessAttempts && result == NvmlReturn.InsufficientSize; attempt++)
            {
                var infos = new NvmlProcessInfo[capacity];
                uint n = capacity;
                fixed (NvmlProcessInfo* p = infos)
                {
                    result = _nvml.DeviceGetComputeRunningProcesses(device, &n, p);
                }

                if (result == NvmlReturn.Success)
                {
                    return ToProcesses(infos.AsSpan(0, (int)n));
                }

                capacity = n + ProcessSlack;
            }

            throw _nvml.Error("nvmlDeviceGetComputeRunningProcesses_v3", result);
        }
        finally
        {
            if (added)
            {
                _nvml.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Shuts NVML down (balancing <see cref="Open"/>'s init) and unloads it.</summary>
    public void Dispose() => _nvml.Handle.Dispose();

    private static string ReadDriverVersion(NvmlLibrary nvml)
    {
        byte* buffer = stackalloc byte[StringBufferBytes];
        NvmlReturn result = nvml.SystemGetDriverVersion(buffer, StringBufferBytes);
        return result == NvmlReturn.Success ? Marshal.PtrToStringUTF8((nint)buffer)! : throw nvml.Error("nvmlSystemGetDriverVersion", result);
    }

    private static ImmutableArray<GpuProcessMemory> ToProcesses(ReadOnlySpan<NvmlProcessInfo> infos)
    {
        var processes = ImmutableArray.CreateBuilder<GpuProcessMemory>(infos.Length);
        foreach (NvmlProcessInfo info in infos)
        {
            processes.Add(new GpuProcessMemory(
                (int)info.Pid,
                info.UsedGpuMemory == NvmlProcessInfo.ValueNotAvailable ? null : info.UsedGpuMemory,
                info.GpuInstanceId == NvmlProcessInfo.NoInstance ? null : info.GpuInstanceId,
                info.ComputeInstanceId == NvmlProcessInfo.NoInstance ? null : info.ComputeInstanceId));
        }

        return processes.MoveToImmutable();
    }

    private GpuDevice ReadDevice(uint index)
    {
        nint device = Device(index);
        string uuid = ReadString("nvmlDeviceGetUUID", _nvml.DeviceGetUuid, device);
        string name = ReadString("nvmlDeviceGetName", _nvml.DeviceGetName, device);

        NvmlMemory memory;
        Check("nvmlDeviceGetMemoryInfo", _nvml.DeviceGetMemoryInfo(device, &memory));

        uint current, pending;
        NvmlReturn mig = _nvml.DeviceGetMigMode(device, &current, &pending);
        GpuMigMode migMode = mig switch
        {
            NvmlReturn.Success => current == 1 ? GpuMigMode.Enabled : GpuMigMode.Disabled,
            NvmlReturn.NotSupported => GpuMigMode.NotSupported,
            _ => throw _nvml.Error("nvmlDeviceGetMigMode", mig),
        };

        int mode;
        Check("nvmlDeviceGetComputeMode", _nvml.DeviceGetComputeMode(device, &mode));

        uint sms;
        NvmlReturn smResult = _nvml.DeviceGetMultiProcessorCount(device, &sms);
        int? multiprocessors = smResult switch
        {
            NvmlReturn.Success => (int)sms,
            NvmlReturn.NotSupported => null,
            _ => throw _nvml.Error("nvmlDeviceGetMultiProcessorCount", smResult),
        };

        return new GpuDevice((int)index, uuid, name, memory.Total, migMode, (GpuComputeMode)mode, multiprocessors);
    }

    private nint Device(uint index)
    {
        nint device;
        Check("nvmlDeviceGetHandleByIndex_v2", _nvml.DeviceGetHandleByIndex(index, &device));
        return device;
    }

    private string ReadString(string function, delegate* unmanaged<nint, byte*, uint, NvmlReturn> get, nint device)
    {
        byte* buffer = stackalloc byte[StringBufferBytes];
        Check(function, get(device, buffer, StringBufferBytes));
        return Marshal.PtrToStringUTF8((nint)buffer)!;
    }

    private void Check(string function, NvmlReturn result)
    {
        if (result != NvmlReturn.Success)
        {
            throw _nvml.Error(function, result);
        }
    }
}

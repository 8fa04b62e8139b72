using System.Collections.Frozen;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>
/// Maps host API names recorded by profilers (CUDA runtime <c>cuda*</c>, driver <c>cu*</c>, ROCm
/// <c>hip*</c>, with or without a version suffix such as <c>_v7000</c> or <c>_v2</c>) to the event kind
/// of the call. Memcpy and memset calls are not listed on purpose: their bytes are taken from the GPU
/// rows of the same operation, which would otherwise count twice.
/// </summary>
internal static class CudaApiCatalog
{
    private static readonly FrozenDictionary<string, (GpuEventKind Kind, GpuEventFlags Flags)> Calls = Build();

    private static readonly FrozenDictionary<string, (GpuEventKind Kind, GpuEventFlags Flags)>.AlternateLookup<ReadOnlySpan<char>> CallsBySpan =
        Calls.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Classifies an API name; false for calls that are not launches, syncs or (de)allocations.</summary>
    public static bool TryClassify(ReadOnlySpan<char> name, out GpuEventKind kind, out GpuEventFlags flags)
    {
        if (CallsBySpan.TryGetValue(StripVersion(name), out (GpuEventKind Kind, GpuEventFlags Flags) entry))
        {
            kind = entry.Kind;
            flags = entry.Flags;
            return true;
        }

        kind = GpuEventKind.None;
        flags = GpuEventFlags.None;
        return false;
    }

    /// <summary>Drops a trailing <c>_v&lt;digits&gt;</c> (nsys writes <c>cudaLaunchKernel_v7000</c>, the driver has <c>cuMemAlloc_v2</c>).</summary>
    private static ReadOnlySpan<char> StripVersion(ReadOnlySpan<char> name)
    {
        int cut = name.LastIndexOf("_v");
        if (cut <= 0 || cut + 2 == name.Length)
        {
            return name;
        }

        foreach (char c in name[(cut + 2)..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return name;
            }
        }

        return name[..cut];
    }

    private static FrozenDictionary<string, (GpuEventKind, GpuEventFlags)> Build()
    {
        var map = new Dictionary<string, (GpuEventKind, GpuEventFlags)>(StringComparer.Ordinal);
        void Runtime(string suffix, GpuEventKind kind, GpuEventFlags flags = GpuEventFlags.None)
        {
            map["cuda" + suffix] = (kind, flags);
            map["hip" + suffix] = (kind, flags);
        }

        void Driver(string name, GpuEventKind kind, GpuEventFlags flags = GpuEventFlags.None) => map[name] = (kind, flags);

        Runtime("LaunchKernel", GpuEventKind.KernelLaunch);
        Runtime("LaunchKernelExC", GpuEventKind.KernelLaunch);
        Runtime("LaunchCooperativeKernel", GpuEventKind.KernelLaunch, GpuEventFlags.Cooperative);
        Runtime("LaunchCooperativeKernelMultiDevice", GpuEventKind.KernelLaunch, GpuEventFlags.Cooperative);
        Runtime("DeviceSynchronize", GpuEventKind.SyncContext);
        Runtime("StreamSynchronize", GpuEventKind.SyncStream);
        Runtime("EventSynchronize", GpuEventKind.SyncEvent);
        Runtime("Malloc", GpuEventKind.Alloc);
        Runtime("MallocPitch", GpuEventKind.Alloc);
        Runtime("Malloc3D", GpuEventKind.Alloc);
        Runtime("MallocAsync", GpuEventKind.AllocAsync);
        Runtime("MallocFromPoolAsync", GpuEventKind.AllocAsync);
        Runtime("MallocManaged", GpuEventKind.AllocManaged);
        Runtime("MallocHost", GpuEventKind.AllocHost);
        Runtime("HostAlloc", GpuEventKind.AllocHost);
        Runtime("Free", GpuEventKind.Free);
        Runtime("FreeAsync", GpuEventKind.FreeAsync);
        Runtime("FreeHost", GpuEventKind.FreeHost);
        Driver("hipExtModuleLaunchKernel", GpuEventKind.KernelLaunch);
        Driver("hipModuleLaunchKernel", GpuEventKind.KernelLaunch);
        Driver("hipExtLaunchKernel", GpuEventKind.KernelLaunch);
        Driver("cuLaunchKernel", GpuEventKind.KernelLaunch);
        Driver("cuLaunchKernelEx", GpuEventKind.KernelLaunch);
        Driver("cuLaunchCooperativeKernel", GpuEventKind.KernelLaunch, GpuEventFlags.Cooperative);
        Driver("cuLaunchCooperativeKernelMultiDevice", GpuEventKind.KernelLaunch, GpuEventFlags.Cooperative);
        Driver("cuCtxSynchronize", GpuEventKind.SyncContext);
        Driver("cuStreamSynchronize", GpuEventKind.SyncStream);
        Driver("cuEventSynchronize", GpuEventKind.SyncEvent);
        Driver("cuMemAlloc", GpuEventKind.Alloc);
        Driver("cuMemAllocPitch", GpuEventKind.Alloc);
        Driver("cuMemAllocAsync", GpuEventKind.AllocAsync);
        Driver("cuMemAllocFromPoolAsync", GpuEventKind.AllocAsync);
        Driver("cuMemAllocManaged", GpuEventKind.AllocManaged);
        Driver("cuMemAllocHost", GpuEventKind.AllocHost);
        Driver("cuMemHostAlloc", GpuEventKind.AllocHost);
        Driver("cuMemFree", GpuEventKind.Free);
        Driver("cuMemFreeAsync", GpuEventKind.FreeAsync);
        Driver("cuMemFreeHost", GpuEventKind.FreeHost);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

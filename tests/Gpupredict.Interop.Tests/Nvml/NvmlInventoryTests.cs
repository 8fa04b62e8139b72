using Gpupredict.Interop.Nvml;

namespace Gpupredict.Interop.Tests.Nvml;

/// <summary>NvmlInventory against the NVML test double, scripted through its inventory file.</summary>
[Collection(NvmlDoubleCollection.Name)]
public sealed class NvmlInventoryTests
{
    private static readonly string[] TwoGpus =
    [
        "driver version=560.35.03",
        "gpu index=0 uuid=GPU-11111111-2222-3333-4444-555555555555 name=\"NVIDIA H100 80GB HBM3\" memory=80G sms=132",
        "gpu index=1 uuid=GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee name=\"NVIDIA A100-SXM4-40GB\" memory=40G mig=1 compute_mode=3",
        "process gpu=0 pid=1234 used=2G",
        "process gpu=0 pid=1235 used=512M",
        "process gpu=1 pid=77 used=na gi=1 ci=0",
    ];

    [NvmlDoubleFact]
    public void Read_TwoGpusMigOnOne_EveryFieldAsScripted()
    {
        using var file = new FakeNvmlFile(TwoGpus);
        using NvmlInventory nvml = OpenOrFail();

        GpuInventory inventory = nvml.Read();

        Assert.False(inventory.Simulated);
        Assert.Equal("560.35.03", inventory.DriverVersion);
        Assert.Equal(
            [
                new GpuDevice(0, "GPU-11111111-2222-3333-4444-555555555555", "NVIDIA H100 80GB HBM3", 80UL << 30, GpuMigMode.Disabled, GpuComputeMode.Default, 132),
                new GpuDevice(1, "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "NVIDIA A100-SXM4-40GB", 40UL << 30, GpuMigMode.Enabled, GpuComputeMode.ExclusiveProcess, null),
            ],
            inventory.Gpus.ToArray());
        Assert.Equal(120UL << 30, inventory.TotalMemoryBytes);
        Assert.Equal(inventory, nvml.Read()); // equal by content, not by array identity
    }

    [NvmlDoubleFact]
    public void Read_GpuWithoutMig_MigModeNotSupported()
    {
        using var file = new FakeNvmlFile("gpu index=0 uuid=GPU-l4 name=\"NVIDIA L4\" memory=24G mig=none");
        using NvmlInventory nvml = OpenOrFail();

        GpuDevice gpu = Assert.Single(nvml.Read().Gpus);

        Assert.Equal(GpuMigMode.NotSupported, gpu.MigMode);
        Assert.Equal("550.54.15", nvml.DriverVersion); // the double's default without a driver line
    }

    [NvmlDoubleFact]
    public void GetProcessMemory_ProcessList_PidsBytesAndMigInstances()
    {
        using var file = new FakeNvmlFile(TwoGpus);
        using NvmlInventory nvml = OpenOrFail();

        Assert.Equal(
            [new GpuProcessMemory(1234, 2UL << 30, null, null), new GpuProcessMemory(1235, 512UL << 20, null, null)],
            nvml.GetProcessMemory(0).ToArray());
        // used=na: NVML_VALUE_NOT_AVAILABLE comes back as null, not 2^64 - 1 bytes.
        Assert.Equal([new GpuProcessMemory(77, null, 1, 0)], nvml.GetProcessMemory(1).ToArray());
    }

    [NvmlDoubleFact]
    public void GetProcessMemory_MoreProcessesThanTheFirstBuffer_GrowsOnInsufficientSizeAndReturnsAll()
    {
        // 40 processes: more than the 16 slots NvmlInventory offers first, so NVML answers
        // InsufficientSize with the count and the second call must fit them all.
        string[] lines = ["gpu index=0 uuid=GPU-busy name=\"NVIDIA H100 80GB HBM3\" memory=80G", .. Enumerable.Range(1, 40).Select(pid => $"process gpu=0 pid={pid} used={pid}M")];
        using var file = new FakeNvmlFile(lines);
        using NvmlInventory nvml = OpenOrFail();

        var processes = nvml.GetProcessMemory(0);

        Assert.Equal(Enumerable.Range(1, 40), processes.Select(p => p.Pid));
        Assert.Equal(Enumerable.Range(1, 40).Select(pid => (ulong?)((ulong)pid << 20)), processes.Select(p => p.UsedBytes));
    }

    [NvmlDoubleFact]
    public void GetProcessMemory_NoProcesses_Empty()
    {
        using var file = new FakeNvmlFile("gpu index=0 uuid=GPU-idle name=T4 memory=16G");
        using NvmlInventory nvml = OpenOrFail();

        Assert.Empty(nvml.GetProcessMemory(0));
    }

    [NvmlDoubleFact]
    public void GetProcessMemory_IndexPastCount_NvmlExceptionInvalidArgument()
    {
        using var file = new FakeNvmlFile(TwoGpus);
        using NvmlInventory nvml = OpenOrFail();

        var e = Assert.Throws<NvmlException>(() => nvml.GetProcessMemory(2));

        Assert.Equal(NvmlReturn.InvalidArgument, e.Result);
        Assert.Equal("nvmlDeviceGetHandleByIndex_v2", e.Function);
        Assert.Equal("nvmlDeviceGetHandleByIndex_v2 failed: Invalid Argument (InvalidArgument, 2)", e.Message);
    }

    [NvmlDoubleFact]
    public void Open_MalformedInventory_InitFailedWithTypedError()
    {
        using var file = new FakeNvmlFile("gpu index=0 uuid=GPU-x name=T4 memroy=16G");

        NvmlOpenResult result = NvmlInventory.Open(NvmlDoubleFactAttribute.LibraryPath);

        Assert.Equal(NvmlOpenStatus.InitFailed, result.Status);
        Assert.False(result.IsAvailable);
        Assert.Null(result.Inventory);
        NvmlException e = Assert.IsType<NvmlException>(result.Error);
        Assert.Equal(NvmlReturn.Unknown, e.Result);
        Assert.Equal("nvmlInit_v2", e.Function);
        Assert.Equal("Unknown Error", e.ErrorText);
        Assert.Equal("nvmlInit_v2 failed: Unknown Error (Unknown, 999)", result.Reason);
    }

    [NvmlDoubleFact]
    public void Open_NoInventoryFile_InitFailedDriverNotLoaded()
    {
        NativeEnvironment.Set(FakeNvmlFile.Variable, null);

        NvmlOpenResult result = NvmlInventory.Open(NvmlDoubleFactAttribute.LibraryPath);

        Assert.Equal(NvmlOpenStatus.InitFailed, result.Status);
        Assert.Equal(NvmlReturn.DriverNotLoaded, result.Error!.Result);
        Assert.Equal("Driver Not Loaded", result.Error.ErrorText);
    }

    [NvmlDoubleFact]
    public void Read_AfterDispose_ObjectDisposed()
    {
        using var file = new FakeNvmlFile(TwoGpus);
        NvmlInventory nvml = OpenOrFail();
        nvml.Dispose();

        Assert.Throws<ObjectDisposedException>(() => nvml.Read());
        Assert.Throws<ObjectDisposedException>(() => nvml.GetProcessMemory(0));
    }

    [Fact]
    public void Open_LibraryAbsent_NotAvailableWithoutException()
    {
        NvmlOpenResult result = NvmlInventory.Open("/nonexistent/libnvidia-ml.so.1");

        Assert.Equal(NvmlOpenStatus.LibraryNotFound, result.Status);
        Assert.False(result.IsAvailable);
        Assert.Null(result.Inventory);
        Assert.Null(result.Error);
        Assert.Contains("/nonexistent/libnvidia-ml.so.1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LibraryWithoutNvml_EntryPointMissingNamesThem()
    {
        NvmlOpenResult result = NvmlInventory.Open("libc.so.6");

        Assert.Equal(NvmlOpenStatus.EntryPointMissing, result.Status);
        Assert.Null(result.Inventory);
        Assert.Contains("nvmlInit_v2", result.Reason, StringComparison.Ordinal);
        Assert.Contains("nvmlDeviceGetComputeRunningProcesses_v3", result.Reason, StringComparison.Ordinal);
    }

    private static NvmlInventory OpenOrFail()
    {
        NvmlOpenResult result = NvmlInventory.Open(NvmlDoubleFactAttribute.LibraryPath);
        Assert.True(result.IsAvailable, result.Reason);
        return result.Inventory!;
    }
}

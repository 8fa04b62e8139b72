namespace Gpupredict.Interop.Tests.Abi;

public sealed class AbiMappingTests
{
    [Theory]
    [InlineData("gp_event", "ts_ns", "TimestampNs")] // explicit alias
    [InlineData("gp_event", "end_ns", "EndNs")]
    [InlineData("gp_event", "correlation_id", "CorrelationId")]
    [InlineData("gp_event", "shared_mem_bytes", "SharedMemBytes")]
    [InlineData("gp_ring_header", "pad0", "Pad0")]
    [InlineData("gp_control_block", "sm_share_ppm", "SmSharePpm")]
    [InlineData("gp_ring_header", "ts_ns", "TsNs")] // the alias belongs to gp_event only
    public void FieldName_CField_IsPascalCaseOrAlias(string cStruct, string cField, string expected)
    {
        Assert.Equal(expected, AbiMapping.Default.FieldName(cStruct, cField));
    }

    [Theory]
    [InlineData("GP_EV_", "GP_EV_KERNEL_LAUNCH", "KernelLaunch")]
    [InlineData("GP_EV_", "GP_EV_MEMCPY_HTOD", "MemcpyHtoD")]
    [InlineData("GP_EV_", "GP_EV_ALLOC_VMM", "AllocVmm")]
    [InlineData("GP_EVF_", "GP_EVF_GPU_TIME", "GpuTime")]
    [InlineData("GP_CTL_", "GP_CTL_SUSPEND_REQUESTED", "SuspendRequested")]
    [InlineData("GP_CTL_", "GP_EV_NONE", null)]
    public void EnumeratorName_CEnumerator_DropsPrefixThenPascalCase(string prefix, string enumerator, string? expected)
    {
        Assert.Equal(expected, AbiMapping.EnumeratorName(prefix, enumerator));
    }

    [Theory]
    [InlineData("GP_ABI_VERSION", "AbiVersion")]
    [InlineData("GP_RING_HEADER_SIZE", "RingHeaderSize")]
    [InlineData("ABI_VERSION", null)]
    public void ConstantName_GpMacro_DropsGpThenPascalCase(string macro, string? expected)
    {
        Assert.Equal(expected, AbiMapping.ConstantName(macro));
    }
}

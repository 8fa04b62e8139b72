namespace Gpupredict.Interop.Nvml;

/// <summary>A GPU's current Multi-Instance GPU mode.</summary>
public enum GpuMigMode
{
    /// <summary>The GPU has no MIG (NVML answers NotSupported).</summary>
    NotSupported,

    /// <summary>MIG capable, off: the GPU is one device.</summary>
    Disabled,

    /// <summary>MIG on: the GPU is split into GPU instances.</summary>
    Enabled,
}

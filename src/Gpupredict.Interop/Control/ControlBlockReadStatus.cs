namespace Gpupredict.Interop.Control;

/// <summary>Why <see cref="ControlBlockReader.TryRead(out ControlBlockReadStatus, int)"/> returned what it did.</summary>
public enum ControlBlockReadStatus
{
    /// <summary>A consistent, valid block was read.</summary>
    Ok,

    /// <summary>seq stayed odd or kept changing for every retry: treated as absent.</summary>
    Unsettled,

    /// <summary>The magic is not <c>GP_CONTROL_MAGIC</c> (e.g. a block created but never written).</summary>
    BadMagic,

    /// <summary>abi_version is not <c>GP_ABI_VERSION</c>.</summary>
    BadVersion,

    /// <summary>size is not <c>GP_CONTROL_SIZE</c>.</summary>
    BadSize,
}

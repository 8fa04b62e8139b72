namespace Gpupredict.Interop.Nvml;

/// <summary>
/// What <see cref="NvmlInventory.Open"/> found: an open inventory, or why NVML is not available.
/// Never carries an open inventory unless <see cref="IsAvailable"/>; the caller owns and disposes it.
/// </summary>
public sealed class NvmlOpenResult
{
    private NvmlOpenResult(NvmlOpenStatus status, NvmlInventory? inventory, NvmlException? error, string reason)
    {
        Status = status;
        Inventory = inventory;
        Error = error;
        Reason = reason;
    }

    /// <summary>How opening went.</summary>
    public NvmlOpenStatus Status { get; }

    /// <summary>True when NVML is loaded and initialised.</summary>
    public bool IsAvailable => Status == NvmlOpenStatus.Opened;

    /// <summary>The open inventory when <see cref="IsAvailable"/>, else null.</summary>
    public NvmlInventory? Inventory { get; }

    /// <summary>The failed <c>nvmlInit_v2</c> when <see cref="Status"/> is <see cref="NvmlOpenStatus.InitFailed"/>, else null.</summary>
    public NvmlException? Error { get; }

    /// <summary>Why NVML is not available, for logs ("" when it is).</summary>
    public string Reason { get; }

    internal static NvmlOpenResult Opened(NvmlInventory inventory) => new(NvmlOpenStatus.Opened, inventory, null, string.Empty);

    internal static NvmlOpenResult NotAvailable(NvmlOpenStatus status, string reason) => new(status, null, null, reason);

    internal static NvmlOpenResult InitFailed(NvmlException error) => new(NvmlOpenStatus.InitFailed, null, error, error.Message);
}

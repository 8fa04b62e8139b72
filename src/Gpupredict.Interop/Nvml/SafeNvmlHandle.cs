using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// The loaded NVML library (a <see cref="NativeLibrary"/> handle) and, once <see cref="MarkInitialized"/>
/// is called, the nvmlInit_v2 it owes a shutdown for. Released: nvmlShutdown (when initialised), then
/// the library is unloaded. <see cref="SafeHandle.DangerousAddRef"/> keeps both alive across calls
/// that race with disposal. 0 is invalid.
/// </summary>
internal sealed unsafe class SafeNvmlHandle : SafeHandle
{
    private readonly delegate* unmanaged<NvmlReturn> _shutdown;
    private bool _initialized;

    /// <summary>Owns <paramref name="library"/>; <paramref name="shutdown"/> is its nvmlShutdown.</summary>
    public SafeNvmlHandle(nint library, delegate* unmanaged<NvmlReturn> shutdown)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        SetHandle(library);
        _shutdown = shutdown;
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Records a successful nvmlInit_v2, to be balanced on release.</summary>
    public void MarkInitialized() => _initialized = true;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        bool ok = !_initialized || _shutdown() == NvmlReturn.Success;
        NativeLibrary.Free(handle);
        return ok;
    }
}

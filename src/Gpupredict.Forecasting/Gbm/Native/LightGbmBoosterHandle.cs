using Microsoft.Win32.SafeHandles;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>Owns a LightGBM <c>BoosterHandle</c>; released with <c>LGBM_BoosterFree</c>.</summary>
internal sealed class LightGbmBoosterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Called by the interop marshaller, which then sets the handle.</summary>
    public LightGbmBoosterHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => LightGbmNative.BoosterFree(handle) == 0;
}

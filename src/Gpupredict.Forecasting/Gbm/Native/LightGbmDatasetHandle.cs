using Microsoft.Win32.SafeHandles;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>Owns a LightGBM <c>DatasetHandle</c>; released with <c>LGBM_DatasetFree</c>.</summary>
internal sealed class LightGbmDatasetHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Called by the interop marshaller, which then sets the handle.</summary>
    public LightGbmDatasetHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => LightGbmNative.DatasetFree(handle) == 0;
}

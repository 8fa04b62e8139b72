using Microsoft.Win32.SafeHandles;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>
/// Owns a LightGBM <c>FastConfigHandle</c>; released with <c>LGBM_FastConfigFree</c>. Holds a
/// reference on its booster's handle (<see cref="Attach"/>) so the booster is freed only after it.
/// </summary>
internal sealed class LightGbmFastConfigHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private LightGbmBoosterHandle? _booster;

    /// <summary>Called by the interop marshaller, which then sets the handle.</summary>
    public LightGbmFastConfigHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Keeps <paramref name="booster"/> alive until this config is released.</summary>
    public void Attach(LightGbmBoosterHandle booster)
    {
        bool added = false;
        booster.DangerousAddRef(ref added);
        _booster = booster;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        bool freed = LightGbmNative.FastConfigFree(handle) == 0;
        _booster?.DangerousRelease();
        return freed;
    }
}

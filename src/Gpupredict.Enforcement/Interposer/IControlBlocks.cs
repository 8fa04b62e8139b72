using Gpupredict.Core.Apps;
using Gpupredict.Interop.Control;

namespace Gpupredict.Enforcement.Interposer;

/// <summary>
/// Where an application's control block is: on a live node, the block the daemon created when the
/// application registered (it lives as long as the registration); null when the application has
/// none (not registered, or gone).
/// </summary>
public interface IControlBlocks
{
    /// <summary>The block of <paramref name="app"/>, or null.</summary>
    ControlBlockWriter? Find(AppId app);
}

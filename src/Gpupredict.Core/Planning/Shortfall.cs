using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Planning;

/// <summary>A request the planner could not satisfy in full, returned as data rather than thrown.</summary>
/// <param name="App">The application.</param>
/// <param name="WantedVramBytes">The VRAM quota the forecast called for.</param>
/// <param name="GrantedVramBytes">The VRAM quota granted.</param>
/// <param name="WantedSmShare">The SM share the forecast called for, 0..1.</param>
/// <param name="GrantedSmShare">The SM share granted, 0..1.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record Shortfall(AppId App, ulong WantedVramBytes, ulong GrantedVramBytes, double WantedSmShare, double GrantedSmShare, string Reason);

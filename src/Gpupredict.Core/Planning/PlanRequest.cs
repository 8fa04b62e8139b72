using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Core.Planning;

/// <summary>What the planner knows of one application when it plans.</summary>
/// <param name="App">The application.</param>
/// <param name="Priority">Its priority from policy.</param>
/// <param name="Forecast">Its latest forecast.</param>
/// <param name="Current">What it uses now (VRAM held cannot be taken back without suspending it).</param>
/// <param name="Peak">The largest demand seen or declared so far (the "request the peak" size).</param>
/// <param name="Constraints">Floors, ceilings and slow-path permissions from policy; <see cref="PlanConstraints.None"/> when null.</param>
/// <param name="Tracking">How its demand has been behaving against earlier forecasts; <see cref="DemandTracking.Fresh"/> when null.</param>
public sealed record PlanRequest(AppId App, Priority Priority, Forecast Forecast, ResourceVector Current, ResourceVector Peak, PlanConstraints? Constraints = null, DemandTracking? Tracking = null)
{
    /// <summary>The constraints in force.</summary>
    public PlanConstraints Limits => Constraints ?? PlanConstraints.None;

    /// <summary>The tracking in force.</summary>
    public DemandTracking Behaviour => Tracking ?? DemandTracking.Fresh;
}

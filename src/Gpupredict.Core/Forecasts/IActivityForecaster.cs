using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// A forecaster that also learns from what an application did in each step (<see cref="ActivityChannel"/>):
/// feed it through this overload when the source records events. <see cref="IForecaster.Observe"/>
/// alone means "activity unknown" and must be accepted too.
/// </summary>
public interface IActivityForecaster : IForecaster
{
    /// <summary>Feeds step <paramref name="step"/>'s demand with its activity (<see cref="ActivitySeries.Channels"/> values, or empty when unknown).</summary>
    void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity);
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>Feeds a recorded series to any forecaster, with its activity when both sides have it.</summary>
public static class ForecasterFeeding
{
    /// <summary>Observes step <paramref name="index"/> of <paramref name="series"/> as step <paramref name="step"/> of <paramref name="app"/>.</summary>
    public static void ObserveStep(this IForecaster forecaster, AppId app, long step, DemandSeries series, int index)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(series);
        if (forecaster is IActivityForecaster withActivity && series.Activity is { } activity)
        {
            withActivity.Observe(app, step, series[index], activity.At(index));
        }
        else
        {
            forecaster.Observe(app, step, series[index]);
        }
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>Feeds any forecaster one step, with its activity when both sides have it.</summary>
public static class ForecasterFeeding
{
    /// <summary>
    /// Feeds <paramref name="app"/>'s demand in <paramref name="step"/>: with <paramref name="activity"/>
    /// (one step of <see cref="ActivitySeries.Channels"/> values) when the forecaster learns from it and
    /// the source recorded it, as demand alone otherwise.
    /// </summary>
    public static void Feed(this IForecaster forecaster, AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        if (forecaster is IActivityForecaster withActivity && !activity.IsEmpty)
        {
            withActivity.Observe(app, step, demand, activity);
        }
        else
        {
            forecaster.Observe(app, step, demand);
        }
    }

    /// <summary>Observes step <paramref name="index"/> of <paramref name="series"/> as step <paramref name="step"/> of <paramref name="app"/>.</summary>
    public static void ObserveStep(this IForecaster forecaster, AppId app, long step, DemandSeries series, int index)
    {
        ArgumentNullException.ThrowIfNull(series);
        forecaster.Feed(app, step, series[index], series.Activity is { } activity ? activity.At(index) : []);
    }
}

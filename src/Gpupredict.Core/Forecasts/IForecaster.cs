using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// A forecasting policy: streams 10 ms demand samples of many applications and forecasts each
/// one's next <see cref="Horizon"/> steps as quantiles. Stateful per application; looked up by
/// <see cref="Name"/> from configuration. Implementations are not thread-safe: one pump drives them.
/// </summary>
public interface IForecaster
{
    /// <summary>The policy name used in configuration and reports.</summary>
    string Name { get; }

    /// <summary>Steps forecast ahead, ≥ 1.</summary>
    int Horizon { get; }

    /// <summary>Quantile levels of every forecast, increasing, inside (0, 1).</summary>
    ReadOnlySpan<double> Levels { get; }

    /// <summary>Feeds what <paramref name="app"/> used during step <paramref name="step"/>; steps arrive in order.</summary>
    void Observe(AppId app, long step, ResourceVector demand);

    /// <summary>Forecasts the steps after the last one observed for <paramref name="app"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    Forecast Predict(AppId app);

    /// <summary>Drops the state of an application that has exited.</summary>
    void Forget(AppId app);
}

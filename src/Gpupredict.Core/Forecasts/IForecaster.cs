using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// A forecasting policy: learns from history (<see cref="Fit"/>), then streams 10 ms demand samples
/// of many applications (<see cref="Observe"/>) and forecasts each one's next <see cref="Horizon"/>
/// steps as quantiles (<see cref="Predict"/>). Stateful per application; looked up by
/// <see cref="Name"/> from configuration; saved in a versioned format (<see cref="Save"/>, loaded
/// through the Forecasting project's registry). Deterministic for a given seed and input.
/// Implementations are not thread-safe: one pump drives them.
/// </summary>
public interface IForecaster
{
    /// <summary>The policy name used in configuration and reports.</summary>
    string Name { get; }

    /// <summary>Steps forecast ahead, ≥ 1.</summary>
    int Horizon { get; }

    /// <summary>Quantile levels of every forecast, increasing, inside (0, 1).</summary>
    ReadOnlySpan<double> Levels { get; }

    /// <summary>
    /// Learns parameters from <paramref name="training"/> (series of other applications, or the
    /// past of these). A baseline with nothing to learn may ignore it. Clears streaming state.
    /// </summary>
    /// <param name="training">Training series; may be empty.</param>
    /// <param name="seed">Seed for every random choice the fit makes.</param>
    void Fit(IReadOnlyList<DemandSeries> training, int seed);

    /// <summary>Writes the fitted parameters (not per-application streaming state) in the policy's versioned format.</summary>
    void Save(Stream destination);

    /// <summary>Feeds what <paramref name="app"/> used during step <paramref name="step"/>; steps arrive in order.</summary>
    void Observe(AppId app, long step, ResourceVector demand);

    /// <summary>Forecasts the steps after the last one observed for <paramref name="app"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    Forecast Predict(AppId app);

    /// <summary>Drops the state of an application that has exited.</summary>
    void Forget(AppId app);

    /// <summary>
    /// Writes what <see cref="Predict"/> would return for <paramref name="app"/> into
    /// <paramref name="destination"/>, laid out [horizon][level][resource]. The default calls
    /// <see cref="Predict"/> and copies; forecasters override it to allocate nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    void PredictInto(AppId app, Span<double> destination) => Predict(app).CopyTo(destination);

    /// <summary>
    /// What the tick calls each step: feeds every slot of <paramref name="batch"/> its demand in
    /// <see cref="ForecastBatch.Step"/> and writes each slot's forecast. The default, slot by slot,
    /// observes (with the slot's activity when this is an <see cref="IActivityForecaster"/> and the
    /// source recorded it) then <see cref="PredictInto"/>; forecasters that advance many applications
    /// in one pass override it. Either way the results equal <see cref="Observe"/> then <see cref="Predict"/>.
    /// </summary>
    void Step(ForecastBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (int i = 0; i < batch.Count; i++)
        {
            AppId app = batch.App(i);
            this.Feed(app, batch.Step, batch.Demand(i), batch.Activity(i));
            PredictInto(app, batch.Output(i));
        }
    }
}

namespace Gpupredict.Forecasting.Neural;

/// <summary>What <see cref="MlpQuantileForecaster"/>'s median is a change from: untrained, the model forecasts this.</summary>
public enum MlpBase
{
    /// <summary>The newest value (persistence).</summary>
    Last,

    /// <summary>The application's running EWMA level.</summary>
    Ewma,
}

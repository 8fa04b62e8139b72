namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Shapes and offsets of <see cref="MlpQuantileForecaster"/>'s flat parameter vector:
/// <c>[W1 (F × H) | b1 (H) | W2 (H × H) | b2 (H) | W3 (H × O) | b3 (O)]</c>, row-major, where
/// F = <see cref="Features"/> (with or without the activity inputs), H = hidden units and O = Horizon × Levels: one network row forecasts
/// one resource of one application, output <c>o = h·Levels + q</c>.
/// </summary>
internal sealed class MlpLayout
{
    /// <summary>Inputs besides the lookback's differences: newest value, EWMA level − newest, volatility, fill, 3 resource indicators.</summary>
    public const int Extra = 7;

    /// <summary>Inputs from an application's activity when the model reads it: one per channel.</summary>
    public const int ActivityInputs = Gpupredict.Core.Demand.ActivitySeries.Channels;

    public MlpLayout(int lookback, int hidden, int horizon, ReadOnlySpan<double> levels, bool activity = false)
    {
        Activity = activity;
        Lookback = lookback;
        Hidden = hidden;
        Horizon = horizon;
        Levels = levels.ToArray();
        Median = LstmLayout.MedianIndex(levels);
        Features = lookback - 1 + Extra + (activity ? ActivityInputs : 0);
        Outputs = horizon * levels.Length;
        W1 = 0;
        B1 = W1 + (Features * hidden);
        W2 = B1 + hidden;
        B2 = W2 + (hidden * hidden);
        W3 = B2 + hidden;
        B3 = W3 + (hidden * Outputs);
        Count = B3 + Outputs;
    }

    public int Lookback { get; }

    /// <summary>Whether rows end with the activity inputs.</summary>
    public bool Activity { get; }

    public int Hidden { get; }

    public int Horizon { get; }

    /// <summary>The quantile levels.</summary>
    public double[] Levels { get; }

    /// <summary>The level nearest 0.5: the base plus a residual; the others are softplus steps away from it.</summary>
    public int Median { get; }

    /// <summary>F: inputs per row.</summary>
    public int Features { get; }

    /// <summary>O = Horizon × Levels: outputs per row.</summary>
    public int Outputs { get; }

    public int W1 { get; }

    public int B1 { get; }

    public int W2 { get; }

    public int B2 { get; }

    public int W3 { get; }

    public int B3 { get; }

    /// <summary>Number of parameters.</summary>
    public int Count { get; }
}

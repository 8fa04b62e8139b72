using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The windows <see cref="MlpQuantileForecaster"/> trains on, built by walking every training series
/// through a slot of <see cref="MlpSlots"/> exactly as streaming does: at each origin t (with the next
/// Horizon steps in the series) and each resource the series observes, one row of features
/// (<see cref="MlpFeatures"/>), its base and the scaled targets u(t + 1..t + H) / s(t). The last
/// <see cref="MlpOptions.ValidationFraction"/> of each series' origins are validation rows (time
/// ordered: validation never precedes training within a series). Beyond
/// <see cref="MlpOptions.MaxWindows"/> rows, origins are thinned evenly. Targets are clipped to the forecast's ceiling.
/// </summary>
internal sealed class MlpDataset
{
    private MlpDataset(int features, int horizon, int rows)
    {
        Features = features;
        Horizon = horizon;
        X = new float[rows * features];
        Base = new float[rows];
        Spread = new float[rows];
        Weight = new float[rows];
        Of = new byte[rows];
        Y = new float[rows * horizon];
    }

    public int Features { get; }

    public int Horizon { get; }

    /// <summary>Rows × F inputs.</summary>
    public float[] X { get; }

    /// <summary>Each row's base (scaled).</summary>
    public float[] Base { get; }

    /// <summary>Each row's spread (scaled).</summary>
    public float[] Spread { get; }

    /// <summary>
    /// Each row's weight in the loss: its scale over the mean scale of its resource's rows, so that the
    /// scaled loss weighs an application's errors as raw units do (a busy application's miss costs more
    /// than an idle one's), as backtests and the planner count them.
    /// </summary>
    public float[] Weight { get; }

    /// <summary>Each row's resource (0 SM, 1 bandwidth, 2 VRAM).</summary>
    public byte[] Of { get; }

    /// <summary>Rows × H scaled targets.</summary>
    public float[] Y { get; }

    /// <summary>Rows to train on.</summary>
    public List<int> Training { get; } = [];

    /// <summary>Rows held out for early stopping.</summary>
    public List<int> Validation { get; } = [];

    /// <summary>Builds the rows of <paramref name="training"/>.</summary>
    public static MlpDataset Build(IReadOnlyList<DemandSeries> training, MlpLayout l, MlpOptions o)
    {
        long total = 0;
        foreach (DemandSeries s in training)
        {
            total += (long)Math.Max(0, s.Count - l.Horizon) * Observed(s).Count;
        }

        int stride = (int)Math.Max(1, (total + o.MaxWindows - 1) / o.MaxWindows);
        int rows = 0;
        foreach (DemandSeries s in training)
        {
            int origins = Math.Max(0, s.Count - l.Horizon);
            rows += ((origins + stride - 1) / stride) * Observed(s).Count;
        }

        var data = new MlpDataset(l.Features, l.Horizon, rows);
        var slots = new MlpSlots(l.Lookback, 1);
        float[] activity = new float[MlpLayout.ActivityInputs];
        int slot = slots.Acquire(default);
        int row = 0;
        Span<float> u = stackalloc float[3];
        foreach (DemandSeries s in training)
        {
            List<int> observed = Observed(s);
            int origins = Math.Max(0, s.Count - l.Horizon);
            if (origins == 0 || observed.Count == 0)
            {
                continue;
            }

            float[][] transformed = [Transformed(s, 0, o.LogBytes), Transformed(s, 1, o.LogBytes), Transformed(s, 2, o.LogBytes)];
            int validFrom = origins - (int)(origins * o.ValidationFraction);
            slots.Release(default);
            slot = slots.Acquire(default);
            for (int t = 0; t < origins; t++)
            {
                (u[0], u[1], u[2]) = (transformed[0][t], transformed[1][t], transformed[2][t]);
                bool known = l.Activity && s.Activity is not null;
                if (known)
                {
                    ReadOnlySpan<double> a = s.Activity!.At(t);
                    for (int c = 0; c < activity.Length; c++)
                    {
                        activity[c] = (float)a[c];
                    }
                }

                slots.Push(slot, u, o.ScaleDecay, o.EwmaAlpha, known ? activity : []);
                if (t % stride != 0)
                {
                    continue;
                }

                foreach (int r in observed)
                {
                    (float b, float spread, float scale) = MlpFeatures.Row(slots, slot, r, l, o, data.X.AsSpan(row * l.Features, l.Features));
                    data.Base[row] = b;
                    data.Spread[row] = spread;
                    data.Weight[row] = scale;
                    data.Of[row] = (byte)r;
                    for (int k = 0; k < l.Horizon; k++)
                    {
                        // Forecasts are held below the headroom (MlpScaling.Inverse), so a target above it
                        // teaches nothing a clipped one does not; unclipped, one burst after a quiet stretch
                        // (thousands of scales) would outweigh every other window.
                        data.Y[(row * l.Horizon) + k] = MathF.Min(transformed[r][t + 1 + k] / scale, MlpScaling.Ceiling(r, scale, o.LogBytes) / scale);
                    }

                    (t >= validFrom ? data.Validation : data.Training).Add(row);
                    row++;
                }
            }
        }

        data.NormaliseWeights(row);
        return data;
    }

    /// <summary>Divides each of the first <paramref name="rows"/> weights (scales until now) by the mean of its resource's.</summary>
    private void NormaliseWeights(int rows)
    {
        Span<double> sum = stackalloc double[3];
        Span<int> count = stackalloc int[3];
        for (int i = 0; i < rows; i++)
        {
            sum[Of[i]] += Weight[i];
            count[Of[i]]++;
        }

        for (int i = 0; i < rows; i++)
        {
            Weight[i] = (float)(Weight[i] * count[Of[i]] / sum[Of[i]]);
        }
    }

    /// <summary>The resources <paramref name="s"/> observes (a resource it does not is 0 in the data and teaches nothing).</summary>
    private static List<int> Observed(DemandSeries s)
    {
        var list = new List<int>(3);
        if ((s.Observed & (ObservedSignals.SmFromGpuIntervals | ObservedSignals.SmEstimated)) != 0)
        {
            list.Add(0);
        }

        if ((s.Observed & (ObservedSignals.BandwidthFromCopies | ObservedSignals.BandwidthFromCounters)) != 0)
        {
            list.Add(1);
        }

        if ((s.Observed & ObservedSignals.VramFromAllocations) != 0)
        {
            list.Add(2);
        }

        return list;
    }

    /// <summary>u of every step of resource <paramref name="r"/>, from float-rounded raw values as streaming sees them.</summary>
    private static float[] Transformed(DemandSeries s, int r, bool logBytes)
    {
        ReadOnlySpan<double> values = s.Values((Resource)r);
        float[] u = new float[values.Length];
        for (int i = 0; i < u.Length; i++)
        {
            u[i] = MlpScaling.Transform(r, (float)values[i], logBytes);
        }

        return u;
    }
}

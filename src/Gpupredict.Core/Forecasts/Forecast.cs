using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// A forecast of one application's demand for the next <see cref="Horizon"/> steps of 10 ms, as
/// quantiles of each resource. Value (h, q, r) is the level-<c>Levels[q]</c> quantile of resource
/// <c>r</c> in step <c>OriginStep + 1 + h</c>. Validated on construction: levels strictly increasing
/// inside (0, 1), values finite and never crossing (non-decreasing in the level for every h and r).
/// A forecast either owns its values or views a slot of a <see cref="ForecastBatch"/>, whose buffer
/// the next tick rewrites: copy what must outlive the tick.
/// </summary>
public sealed class Forecast
{
    private readonly double[] _levels;
    private readonly double[] _values;
    private readonly int _offset;

    /// <summary>Builds a forecast; <paramref name="values"/> is laid out [horizon][level][resource] and taken, not copied.</summary>
    /// <param name="app">The application forecast.</param>
    /// <param name="originStep">The last observed step; step h of the forecast is <c>originStep + 1 + h</c>.</param>
    /// <param name="horizon">Number of future steps, ≥ 1.</param>
    /// <param name="levels">Quantile levels, strictly increasing, each in (0, 1).</param>
    /// <param name="values">horizon × levels × <see cref="Resources.Count"/> values.</param>
    /// <exception cref="ArgumentException">Any rule above is broken; the message names the index and values.</exception>
    public Forecast(AppId app, long originStep, int horizon, double[] levels, double[] values)
        : this(app, originStep, horizon, levels, values, 0, exactLength: true)
    {
    }

    /// <summary>Builds a forecast over <paramref name="buffer"/>[<paramref name="offset"/>..], laid out [horizon][level][resource]; neither is copied.</summary>
    /// <param name="app">The application forecast.</param>
    /// <param name="originStep">The last observed step.</param>
    /// <param name="horizon">Number of future steps, ≥ 1.</param>
    /// <param name="levels">Quantile levels, strictly increasing, each in (0, 1).</param>
    /// <param name="buffer">Holds horizon × levels × <see cref="Resources.Count"/> values from <paramref name="offset"/>.</param>
    /// <param name="offset">Where this forecast's values start.</param>
    /// <exception cref="ArgumentException">A rule of the other constructor is broken, or the buffer is too short.</exception>
    public Forecast(AppId app, long originStep, int horizon, double[] levels, double[] buffer, int offset)
        : this(app, originStep, horizon, levels, buffer, offset, exactLength: false)
    {
    }

    private Forecast(AppId app, long originStep, int horizon, double[] levels, double[] values, int offset, bool exactLength)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (levels.Length == 0)
        {
            throw new ArgumentException("a forecast needs at least one quantile level", nameof(levels));
        }

        for (int q = 0; q < levels.Length; q++)
        {
            if (!(levels[q] > 0 && levels[q] < 1))
            {
                throw new ArgumentException($"quantile level [{q}] = {levels[q]} is not inside (0, 1)", nameof(levels));
            }

            if (q > 0 && levels[q] <= levels[q - 1])
            {
                throw new ArgumentException($"quantile levels must increase: [{q - 1}] = {levels[q - 1]}, [{q}] = {levels[q]}", nameof(levels));
            }
        }

        int expected = horizon * levels.Length * Resources.Count;
        if (exactLength ? values.Length != expected : values.Length - offset < expected)
        {
            throw new ArgumentException($"expected {horizon} x {levels.Length} x {Resources.Count} = {expected} values, got {values.Length - offset}", nameof(values));
        }

        App = app;
        OriginStep = originStep;
        Horizon = horizon;
        _levels = levels;
        _values = values;
        _offset = offset;
        CheckValues();
    }

    /// <summary>The application.</summary>
    public AppId App { get; }

    /// <summary>The last observed step.</summary>
    public long OriginStep { get; }

    /// <summary>Number of forecast steps.</summary>
    public int Horizon { get; }

    /// <summary>Quantile levels, increasing.</summary>
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>The level-<c>Levels[levelIndex]</c> quantile of <paramref name="resource"/> at horizon step <paramref name="h"/> (0-based).</summary>
    public double Get(int h, int levelIndex, Resource resource) => _values[Index(h, levelIndex, (int)resource)];

    /// <summary>The level-<paramref name="level"/> quantile at <paramref name="h"/>; the level must be one of <see cref="Levels"/>.</summary>
    /// <exception cref="ArgumentException">The forecast does not carry <paramref name="level"/>.</exception>
    public double Quantile(int h, double level, Resource resource) => Get(h, LevelIndex(level), resource);

    /// <summary>Number of values: horizon × levels × resources.</summary>
    public int ValueCount => Horizon * _levels.Length * Resources.Count;

    /// <summary>Copies the values, laid out [horizon][level][resource], into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<double> destination) => _values.AsSpan(_offset, ValueCount).CopyTo(destination);

    /// <summary>The largest value of the given level over horizon steps [0, <paramref name="steps"/>).</summary>
    public ResourceVector MaxOver(int steps, int levelIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int n = Math.Min(steps, Horizon);
        ResourceVector max = ResourceVector.Zero;
        for (int h = 0; h < n; h++)
        {
            max = ResourceVector.Max(max, new ResourceVector(Get(h, levelIndex, Resource.Sm), Get(h, levelIndex, Resource.MemoryBandwidth), Get(h, levelIndex, Resource.Vram)));
        }

        return max;
    }

    /// <summary>The index of <paramref name="level"/> in <see cref="Levels"/>; never a neighbouring level.</summary>
    /// <exception cref="ArgumentException">The forecast does not carry <paramref name="level"/>; the message lists the levels it has.</exception>
    public int LevelIndex(double level)
    {
        int q = QuantileGrid.IndexOf(_levels, level);
        return q >= 0 ? q : throw new ArgumentException($"the forecast of {App} carries quantile levels [{QuantileGrid.Describe(_levels)}], not {level}", nameof(level));
    }

    private int Index(int h, int q, int r) => _offset + (((h * _levels.Length) + q) * Resources.Count) + r;

    private void CheckValues()
    {
        for (int h = 0; h < Horizon; h++)
        {
            for (int r = 0; r < Resources.Count; r++)
            {
                for (int q = 0; q < _levels.Length; q++)
                {
                    double v = _values[Index(h, q, r)];
                    if (!double.IsFinite(v))
                    {
                        throw new ArgumentException($"value (h={h}, level={_levels[q]}, {(Resource)r}) is {v}");
                    }

                    if (q > 0 && v < _values[Index(h, q - 1, r)])
                    {
                        throw new ArgumentException($"quantiles cross at h={h}, {(Resource)r}: level {_levels[q - 1]} = {_values[Index(h, q - 1, r)]} > level {_levels[q]} = {v}");
                    }
                }
            }
        }
    }
}

using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Forecasts;

/// <summary>
/// One tick's forecasting work for many applications, in buffers reused tick after tick: each slot
/// holds an application's demand in the step just observed (and its activity, when the source
/// records events) and receives its forecast, laid out [horizon][level][resource]. The tick fills
/// the slots, hands the batch to <see cref="IForecaster.Step"/> and reads the forecasts back. Not
/// thread-safe; the forecasts it hands out view its buffer and are rewritten by the next tick.
/// </summary>
public sealed class ForecastBatch
{
    private readonly double[] _levels;
    private AppId[] _apps = new AppId[16];
    private ResourceVector[] _demand = new ResourceVector[16];
    private bool[] _hasActivity = new bool[16];
    private double[] _activity = new double[16 * ActivitySeries.Channels];
    private double[] _values;

    /// <summary>A batch for forecasts of <paramref name="horizon"/> steps at <paramref name="levels"/>.</summary>
    /// <exception cref="ArgumentException">The horizon is below 1 or the levels do not increase inside (0, 1).</exception>
    public ForecastBatch(int horizon, ReadOnlySpan<double> levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _levels = levels.ToArray();

        // Validates the levels once, with Forecast's own rules and messages.
        _ = new Forecast(default, 0, 1, _levels, new double[_levels.Length * Resources.Count]);
        Horizon = horizon;
        ValuesPerApp = horizon * _levels.Length * Resources.Count;
        _values = new double[16 * ValuesPerApp];
    }

    /// <summary>Steps forecast ahead.</summary>
    public int Horizon { get; }

    /// <summary>Quantile levels of every forecast.</summary>
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Values per forecast: horizon × levels × resources.</summary>
    public int ValuesPerApp { get; }

    /// <summary>The step the slots' demand was observed in (every forecast's origin).</summary>
    public long Step { get; private set; }

    /// <summary>Slots in use.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the batch for step <paramref name="step"/>; keeps its buffers.</summary>
    public void Begin(long step)
    {
        Step = step;
        Count = 0;
    }

    /// <summary>Adds an application's step; returns its slot.</summary>
    /// <param name="app">The application.</param>
    /// <param name="demand">What it used in <see cref="Step"/>.</param>
    /// <param name="activity"><see cref="ActivitySeries.Channels"/> values of what it did, or empty when the source does not record events.</param>
    /// <exception cref="ArgumentException"><paramref name="activity"/> is neither empty nor one step of channels.</exception>
    public int Add(AppId app, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        if (!activity.IsEmpty && activity.Length != ActivitySeries.Channels)
        {
            throw new ArgumentException($"expected {ActivitySeries.Channels} activity values or none; got {activity.Length}", nameof(activity));
        }

        if (Count == _apps.Length)
        {
            Grow();
        }

        int slot = Count++;
        _apps[slot] = app;
        _demand[slot] = demand;
        _hasActivity[slot] = !activity.IsEmpty;
        activity.CopyTo(_activity.AsSpan(slot * ActivitySeries.Channels));
        return slot;
    }

    /// <summary>The application in <paramref name="slot"/>.</summary>
    public AppId App(int slot) => _apps[Checked(slot)];

    /// <summary>Its demand in <see cref="Step"/>.</summary>
    public ResourceVector Demand(int slot) => _demand[Checked(slot)];

    /// <summary>Its activity in <see cref="Step"/>, or empty when unknown.</summary>
    public ReadOnlySpan<double> Activity(int slot) =>
        _hasActivity[Checked(slot)] ? _activity.AsSpan(slot * ActivitySeries.Channels, ActivitySeries.Channels) : [];

    /// <summary>Where the forecaster writes the slot's forecast, [horizon][level][resource].</summary>
    public Span<double> Output(int slot) => _values.AsSpan(Checked(slot) * ValuesPerApp, ValuesPerApp);

    /// <summary>The slot's forecast, validated (finite, non-crossing); a view of the batch's buffer, valid until the next <see cref="Begin"/>.</summary>
    /// <exception cref="ArgumentException">The forecaster wrote crossing or non-finite values.</exception>
    public Forecast Forecast(int slot) => new(_apps[Checked(slot)], Step, Horizon, _levels, _values, slot * ValuesPerApp);

    private int Checked(int slot) => (uint)slot < (uint)Count ? slot : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"the batch has {Count} slots");

    private void Grow()
    {
        int n = _apps.Length * 2;
        Array.Resize(ref _apps, n);
        Array.Resize(ref _demand, n);
        Array.Resize(ref _hasActivity, n);
        Array.Resize(ref _activity, n * ActivitySeries.Channels);
        Array.Resize(ref _values, n * ValuesPerApp);
    }
}

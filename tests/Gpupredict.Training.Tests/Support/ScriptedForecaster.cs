using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Training.Tests.Support;

/// <summary>
/// A forecaster whose every value comes from a function of (app, origin step, 1-based horizon step h,
/// resource, level index): oracles, constants and persistence in one line each. Records what it was fitted on.
/// </summary>
internal sealed class ScriptedForecaster(int horizon, double[] levels, Func<AppId, long, int, Resource, int, double> value) : IForecaster
{
    private readonly Dictionary<AppId, long> _last = [];

    public string Name => "scripted";

    public int Horizon => horizon;

    public ReadOnlySpan<double> Levels => levels;

    public List<DemandSeries> Fitted { get; } = [];

    public int FitSeed { get; private set; } = -1;

    public List<long> Origins { get; } = [];

    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        Fitted.AddRange(training);
        FitSeed = seed;
        _last.Clear();
    }

    public void Save(Stream destination) => throw new NotSupportedException();

    public void Observe(AppId app, long step, ResourceVector demand) => _last[app] = step;

    public Forecast Predict(AppId app)
    {
        long origin = _last[app];
        Origins.Add(origin);
        double[] values = new double[horizon * levels.Length * Resources.Count];
        for (int h = 0; h < horizon; h++)
        {
            for (int q = 0; q < levels.Length; q++)
            {
                foreach (Resource r in Resources.All)
                {
                    values[(((h * levels.Length) + q) * Resources.Count) + (int)r] = value(app, origin, h + 1, r, q);
                }
            }
        }

        return new Forecast(app, origin, horizon, levels, values);
    }

    public void Forget(AppId app) => _last.Remove(app);
}

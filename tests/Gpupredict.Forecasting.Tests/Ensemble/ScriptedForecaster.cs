using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Tests.Ensemble;

/// <summary>
/// A test double member: a point forecast (the same value at every level) from a script of
/// (application, origin step, 0-based horizon step, resource); an oracle when the script reads the
/// recorded future, a bad forecaster when it does not. Counts the steps it was fed with activity.
/// </summary>
internal sealed class ScriptedForecaster(string name, int horizon, double[] levels, Func<AppId, long, int, Resource, double> script) : IActivityForecaster
{
    private readonly Dictionary<AppId, long> _last = [];

    public string Name => name;

    public int Horizon => horizon;

    public ReadOnlySpan<double> Levels => levels;

    /// <summary>Steps observed with activity, across applications.</summary>
    public int StepsWithActivity { get; private set; }

    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _last.Clear();

    public void Save(Stream destination) => throw new NotSupportedException("test double");

    public void Observe(AppId app, long step, ResourceVector demand) => _last[app] = step;

    public void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        StepsWithActivity += activity.IsEmpty ? 0 : 1;
        Observe(app, step, demand);
    }

    public Forecast Predict(AppId app)
    {
        long origin = _last.TryGetValue(app, out long last) ? last : throw new InvalidOperationException("nothing observed");
        double[] values = new double[horizon * levels.Length * Resources.Count];
        for (int h = 0; h < horizon; h++)
        {
            foreach (Resource r in Resources.All)
            {
                double v = script(app, origin, h, r);
                for (int q = 0; q < levels.Length; q++)
                {
                    values[(((h * levels.Length) + q) * Resources.Count) + (int)r] = v;
                }
            }
        }

        return new Forecast(app, origin, horizon, levels, values);
    }

    public void Forget(AppId app) => _last.Remove(app);
}

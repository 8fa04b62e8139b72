using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Forecasting.Tests.Conformal;

/// <summary>
/// A test double of a badly calibrated forecaster: the median is the true mean (0.5 SM), the
/// intervals far too narrow (level q sits at 0.5 + 0.01 * (q - middle)), whatever it observes.
/// </summary>
internal sealed class NarrowForecaster(int horizon, double[] levels) : IForecaster
{
    private readonly HashSet<AppId> _seen = [];
    private readonly Dictionary<AppId, long> _last = [];

    public string Name => "narrow";

    public int Horizon => horizon;

    public ReadOnlySpan<double> Levels => levels;

    /// <summary>The series of the last <see cref="Fit"/>.</summary>
    public IReadOnlyList<DemandSeries> Fitted { get; private set; } = [];

    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        Fitted = [.. training];
        _seen.Clear();
    }

    public void Save(Stream destination) => throw new NotSupportedException("test double");

    public void Observe(AppId app, long step, ResourceVector demand)
    {
        _seen.Add(app);
        _last[app] = step;
    }

    public Forecast Predict(AppId app)
    {
        if (!_seen.Contains(app))
        {
            throw new InvalidOperationException("nothing observed");
        }

        int mid = levels.Length / 2;
        double[] values = new double[horizon * levels.Length * Resources.Count];
        for (int h = 0; h < horizon; h++)
        {
            for (int q = 0; q < levels.Length; q++)
            {
                values[(((h * levels.Length) + q) * Resources.Count) + (int)Resource.Sm] = 0.5 + (0.01 * (q - mid));
            }
        }

        return new Forecast(app, _last[app], horizon, levels, values);
    }

    public void Forget(AppId app)
    {
        _seen.Remove(app);
        _last.Remove(app);
    }
}

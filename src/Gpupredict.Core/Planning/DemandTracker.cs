using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Core.Planning;

/// <summary>
/// Keeps <see cref="DemandTracking"/> per application: each step, the demand is compared with the
/// one-step-ahead interval [<see cref="LowerLevel"/>, <see cref="UpperLevel"/>] of the forecast made
/// the step before. Not thread-safe: the pump that feeds the forecaster feeds this too.
/// </summary>
/// <param name="lowerLevel">Quantile level of the interval's lower bound, in (0, 1).</param>
/// <param name="upperLevel">Quantile level of the upper bound, in (lower, 1).</param>
public sealed class DemandTracker(double lowerLevel = 0.1, double upperLevel = 0.99)
{
    private readonly Dictionary<AppId, State> _apps = [];

    /// <summary>Quantile level of the lower bound.</summary>
    public double LowerLevel { get; } = lowerLevel > 0 && lowerLevel < upperLevel ? lowerLevel : throw new ArgumentOutOfRangeException(nameof(lowerLevel), lowerLevel, "expected a level in (0, upper)");

    /// <summary>Quantile level of the upper bound.</summary>
    public double UpperLevel { get; } = upperLevel < 1 ? upperLevel : throw new ArgumentOutOfRangeException(nameof(upperLevel), upperLevel, "expected a level below 1");

    /// <summary>Scores <paramref name="demand"/> against the last forecast remembered for <paramref name="app"/> and returns the tracking after it.</summary>
    public DemandTracking Observe(AppId app, ResourceVector demand)
    {
        if (!_apps.TryGetValue(app, out State? s))
        {
            s = new State();
            _apps.Add(app, s);
        }

        bool busy = demand.SmFraction > 0 || demand.BandwidthBytesPerSecond > 0 || demand.VramBytes > s.LastVram;
        s.Idle = busy ? 0 : s.Idle + 1;
        s.LastVram = demand.VramBytes;
        if (s.Last is { } f)
        {
            (bool above, bool below) = Compare(f, demand);
            s.Above = above ? s.Above + 1 : 0;
            s.Below = below ? s.Below + 1 : 0;
        }

        return new DemandTracking(s.Above, s.Below, s.Idle);
    }

    /// <summary>Remembers the forecast the next step is scored against.</summary>
    public void Remember(Forecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (_apps.TryGetValue(forecast.App, out State? s))
        {
            s.Last = forecast;
        }
    }

    /// <summary>Drops an application that has exited.</summary>
    public void Forget(AppId app) => _apps.Remove(app);

    private (bool Above, bool Below) Compare(Forecast f, ResourceVector demand)
    {
        int lo = f.LevelIndexAtLeast(LowerLevel), hi = f.LevelIndexAtLeast(UpperLevel);
        bool above = false, below = true, used = false;
        foreach (Resource r in Resources.All)
        {
            double actual = demand[r];
            above |= actual > f.Get(0, hi, r) * (1 + 1e-9);
            if (actual > 0 || f.Get(0, lo, r) > 0)
            {
                used = true;
                below &= actual < f.Get(0, lo, r);
            }
        }

        return (above, below && used);
    }

    private sealed class State
    {
        public Forecast? Last { get; set; }

        public int Above { get; set; }

        public int Below { get; set; }

        public long Idle { get; set; }

        public double LastVram { get; set; }
    }
}

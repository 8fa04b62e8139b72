using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;

namespace Gpupredict.Core.Planning;

/// <summary>
/// Keeps <see cref="DemandTracking"/> per application: each step, the demand is compared with the
/// one-step-ahead interval [<see cref="LowerLevel"/>, <see cref="UpperLevel"/>] of the forecast made
/// the step before. The levels are the planner's (<see cref="QuantileRoles.Lower"/>,
/// <see cref="QuantileRoles.Upper"/>): demand above the level it is granted at is what dynamic
/// adjustment reacts to. Keeps a copy of the interval, not the forecast (forecasts of a batch are
/// rewritten every tick). Not thread-safe: the pump that feeds the forecaster feeds this too.
/// </summary>
/// <param name="lowerLevel">Quantile level of the interval's lower bound, in (0, 1).</param>
/// <param name="upperLevel">Quantile level of the upper bound, in (lower, 1).</param>
public sealed class DemandTracker(double lowerLevel = 0.1, double upperLevel = 0.99)
{
    private readonly Dictionary<AppId, State> _apps = [];

    /// <summary>A tracker of the interval a planner's <paramref name="roles"/> name: [lower, upper].</summary>
    public DemandTracker(QuantileRoles roles)
        : this(roles.Lower, roles.Upper)
    {
    }

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
        if (s.HasBounds)
        {
            (bool above, bool below) = Compare(s, demand);
            s.Above = above ? s.Above + 1 : 0;
            s.Below = below ? s.Below + 1 : 0;
        }

        return new DemandTracking(s.Above, s.Below, s.Idle);
    }

    /// <summary>Remembers the interval of the forecast's first step, which the next step is scored against.</summary>
    /// <exception cref="ArgumentException">The forecast does not carry the tracker's levels.</exception>
    public void Remember(Forecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (_apps.TryGetValue(forecast.App, out State? s))
        {
            int lo = forecast.LevelIndex(LowerLevel), hi = forecast.LevelIndex(UpperLevel);
            foreach (Resource r in Resources.All)
            {
                s.Lower[(int)r] = forecast.Get(0, lo, r);
                s.Upper[(int)r] = forecast.Get(0, hi, r);
            }

            s.HasBounds = true;
        }
    }

    /// <summary>Drops an application that has exited.</summary>
    public void Forget(AppId app) => _apps.Remove(app);

    private static (bool Above, bool Below) Compare(State s, ResourceVector demand)
    {
        bool above = false, below = true, used = false;
        foreach (Resource r in Resources.All)
        {
            double actual = demand[r];
            double lower = s.Lower[(int)r];
            above |= actual > s.Upper[(int)r] * (1 + 1e-9);
            if (actual > 0 || lower > 0)
            {
                used = true;
                below &= actual < lower;
            }
        }

        return (above, below && used);
    }

    private sealed class State
    {
        public double[] Lower { get; } = new double[Resources.Count];

        public double[] Upper { get; } = new double[Resources.Count];

        public bool HasBounds { get; set; }

        public int Above { get; set; }

        public int Below { get; set; }

        public long Idle { get; set; }

        public double LastVram { get; set; }
    }
}

namespace Gpupredict.Forecasting.Baselines;

/// <summary>Which of Autopilot's moving-window recommenders (Rzadca et al., EuroSys 2020, §3.2) a forecaster runs.</summary>
public enum AutopilotRecommender
{
    /// <summary>S_max: the peak over the window, undecayed (<c>autopilot-max</c>).</summary>
    Peak = 0,

    /// <summary>S_pj: the j-th percentile of the load-adjusted, exponentially decayed histogram (<c>autopilot-pct</c>).</summary>
    Percentile = 1,
}

namespace Gpupredict.Simulation.Comparison.Policies;

/// <summary>The policies the replay compares, each once, in the order reports list them (a test holds their planner and forecaster names to the registries').</summary>
public static class ComparisonPolicies
{
    /// <summary>Request the peak, as users do today: the density baseline.</summary>
    public static ComparisonPolicy StaticPeak { get; } = new(PolicyComparison.StaticPolicy, "static-peak", "last-value", "request the peak once and keep it");

    /// <summary>VPA-like: sized from a window of the past plus a margin.</summary>
    public static ComparisonPolicy Reactive { get; } = new("reactive", "reactive", "reactive-window", "VPA-like: windowed max VRAM and p95 SM of the last 10 s plus 15 %, recomputed every second");

    /// <summary>HAMi's fixed declared quotas, binpacked.</summary>
    public static ComparisonPolicy Hami { get; } = new("hami", "hami", "last-value", "HAMi's fixed gpumem/gpucores declared from the peak, binpacked");

    /// <summary>Ours: allocate ahead of the forecast.</summary>
    public static ComparisonPolicy Forecast { get; } = new("forecast", "forecast", null, "gpupredictd: reservations and limits ahead of the forecast");

    /// <summary>Knows the next step's demand: the bound on grants.</summary>
    public static ComparisonPolicy Oracle { get; } = new(PolicyComparison.OraclePolicy, "oracle", "oracle", "grants the true demand of the next step");

    /// <summary>All of them, in report order.</summary>
    public static IReadOnlyList<ComparisonPolicy> All { get; } = [StaticPeak, Reactive, Hami, Forecast, Oracle];

    /// <summary>The policy called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">None has that name; the message lists the known ones.</exception>
    public static ComparisonPolicy Find(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"unknown policy '{name}'; known: {string.Join(", ", All.Select(p => p.Name))}", nameof(name));
}

using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// The engineered features the GBM boosters see, all computed from one application's recent history
/// (<see cref="GbmHistory"/>) in a normalised space: SM busy fraction as is (0..1), bandwidth and
/// VRAM as <c>log1p(bytes/s)</c> and <c>log1p(bytes)</c>, so that one tree scale fits a 1 KiB copy and
/// a 80 GB working set alike. Layout, per resource r in <see cref="Resources.All"/> order (12 each):
/// <list type="bullet">
/// <item>lags 1, 2, 3, 5, 10: the value k − 1 steps before the newest (lag 1 = the newest);</item>
/// <item>rolling mean, max and standard deviation (population) over the last 10 and the last 50 steps;</item>
/// <item>the step-to-step delta, newest minus the one before;</item>
/// </list>
/// then one shared feature: steps since the last SM burst (SM &gt; <see cref="BurstThreshold"/>),
/// 0 when the newest step is one, capped at <see cref="BurstCap"/> (also the value before any burst);
/// then the event-derived features, per <see cref="ActivityChannel"/> (API-call mix, allocation
/// churn, copy directions, kernel rate): <c>log1p</c> of the newest step's value and of its mean over
/// the last <see cref="ActivityWindow"/> steps; and last <c>log1p</c> of the mean transfer size over
/// that window (copy and memset bytes / transfers). Without activity (a source with no events) these
/// are 0, which the trees learn as "unknown".
/// While the history is shorter than a window, lags reach only back to the oldest step held and
/// windows cover what is held, so training (which replays each series from its start) and streaming
/// see the same warm-up.
/// </summary>
internal static class GbmFeatures
{
    /// <summary>Lags, in steps (1 = the newest observed step).</summary>
    public static ReadOnlySpan<int> Lags => [1, 2, 3, 5, 10];

    /// <summary>Rolling window lengths, in steps.</summary>
    public static ReadOnlySpan<int> Windows => [10, 50];

    /// <summary>The SM busy fraction above which a step counts as a burst.</summary>
    public const double BurstThreshold = 0.5;

    /// <summary>The largest value of the steps-since-burst feature.</summary>
    public const int BurstCap = 1000;

    /// <summary>Features per resource: the lags, three statistics per window, one delta.</summary>
    public static int PerResource => Lags.Length + (3 * Windows.Length) + 1;

    /// <summary>Steps over which activity is averaged.</summary>
    public const int ActivityWindow = 10;

    /// <summary>Event-derived features: two per activity channel, plus the mean transfer size.</summary>
    public static int ActivityCount => (2 * ActivitySeries.Channels) + 1;

    /// <summary>Features per row.</summary>
    public static int Count => (PerResource * Resources.Count) + 1 + ActivityCount;

    /// <summary>Steps of history the features need (the longest lag or window).</summary>
    public static int Depth => Math.Max(Lags[^1], Windows[^1]);

    /// <summary>A value in the normalised space the boosters learn and predict in.</summary>
    public static double Normalise(Resource resource, double value) =>
        resource == Resource.Sm ? value : Math.Log(1 + Math.Max(0, value));

    /// <summary>
    /// <paramref name="raw"/> moved by <paramref name="change"/> in the normalised space, clamped to the
    /// resource's range: <c>(1 + raw)·e^change − 1</c> for bytes, written with expm1 so that a zero change
    /// returns <paramref name="raw"/> exactly (a round trip through log1p and exp would not).
    /// </summary>
    public static double Moved(Resource resource, double raw, double change) =>
        resource == Resource.Sm ? Math.Clamp(raw + change, 0, 1) : Math.Max(0, raw + ((1 + raw) * double.ExpM1(change)));

    /// <summary>Back from the normalised space, clamped to the resource's range (SM to [0, 1], others ≥ 0).</summary>
    public static double Denormalise(Resource resource, double value) =>
        resource == Resource.Sm ? Math.Clamp(value, 0, 1) : Math.Max(0, Math.Exp(Math.Max(0, value)) - 1);
}

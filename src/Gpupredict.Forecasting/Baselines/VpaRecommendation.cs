namespace Gpupredict.Forecasting.Baselines;

/// <summary>VPA's three numbers for one resource, in that resource's unit, safety margin and confidence multipliers applied.</summary>
/// <param name="LowerBound">From the lower-bound percentile (p50).</param>
/// <param name="Target">From the target percentile (p90): what VPA sets as the request.</param>
/// <param name="UpperBound">From the upper-bound percentile (p95).</param>
internal readonly record struct VpaRecommendation(double LowerBound, double Target, double UpperBound);

namespace Gpupredict.Core.Demand;

/// <summary>One application's recorded demand in a replay: its series and the replay step of its first sample.</summary>
/// <param name="Series">The recorded demand.</param>
/// <param name="StartStep">The replay step its first sample is played at, ≥ 0.</param>
public readonly record struct RecordedDemand(DemandSeries Series, long StartStep);

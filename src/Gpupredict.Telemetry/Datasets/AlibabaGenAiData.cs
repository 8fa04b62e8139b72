using Gpupredict.Core.Demand;

namespace Gpupredict.Telemetry.Datasets;

/// <summary>The per-pod series of the Alibaba GenAI trace and what loading them had to do.</summary>
/// <param name="Series">
/// One series per kept pod, ordered by container id. Step i is the i-th sample period: each series'
/// <see cref="DemandSeries.StepNs"/> is the sampling period (57 s), NOT 10 ms.
/// </param>
/// <param name="StepSeconds">The sampling period of the files (57 s in the published trace), inferred from the timestamps.</param>
/// <param name="Pods">Distinct containers found in the files.</param>
/// <param name="PodsSkipped">Pods dropped for having fewer than <see cref="AlibabaGenAiOptions.MinSamples"/> joined samples.</param>
/// <param name="FilledValues">Values of the kept series that were missing and carried forward from the previous sample.</param>
public sealed record AlibabaGenAiData(IReadOnlyList<DemandSeries> Series, double StepSeconds, int Pods, int PodsSkipped, long FilledValues);

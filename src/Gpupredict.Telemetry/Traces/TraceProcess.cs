using Gpupredict.Core.Apps;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces;

/// <summary>One host process of a trace with everything attributed to it.</summary>
/// <param name="App">
/// The process: its OS pid and, as start time, the trace's first timestamp in ns (see <see cref="AppId"/>).
/// </param>
/// <param name="Name">The process name recorded by the profiler, or <c>pid N</c> when none was.</param>
/// <param name="Events">
/// API calls, GPU execution intervals and allocations, sorted by <see cref="GpuEvent.TimestampNs"/>
/// (ties keep the order of the trace); times are nanoseconds of the trace's own clock.
/// </param>
public sealed record TraceProcess(AppId App, string Name, GpuEvent[] Events);

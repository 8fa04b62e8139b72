using Gpupredict.Core.Demand;

namespace Gpupredict.Telemetry.Traces;

/// <summary>A recorded trace, imported: the processes it saw and what it could observe.</summary>
/// <param name="Path">The file the trace was read from.</param>
/// <param name="Format">The importer's <see cref="ITraceImporter.Name"/>.</param>
/// <param name="Processes">The host processes, ordered by pid; a process may have no events (CPU-only).</param>
/// <param name="Observed">
/// Which demand signals this trace observes: a flag is set only when the trace holds events of that
/// kind (kernel GPU intervals, copies/memsets, device allocations with sizes).
/// </param>
/// <param name="Limitations">Human sentences on what this format, or this file, cannot observe.</param>
public sealed record ImportedTrace(string Path, string Format, IReadOnlyList<TraceProcess> Processes, ObservedSignals Observed, IReadOnlyList<string> Limitations);
